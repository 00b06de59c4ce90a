using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Routes each line from the agent: responses are matched to the client request they answer (aliases turned back
/// into the client's id) or to a request of the host's; unparsable lines are logged and dropped; everything else
/// passes as it came.
/// </summary>
/// <param name="writes">Where lines and error replies go.</param>
/// <param name="interception">The features that registered for a method.</param>
/// <param name="books">The requests in flight, the client's and the host's.</param>
/// <param name="chunk">The dialect's chunk template, tried before any other classification.</param>
/// <param name="maxMessageBytes">The line length the framer refuses beyond, quoted in its log line.</param>
/// <param name="counters">Where each received line is counted.</param>
internal sealed class AgentRouter(RelayWrites writes, Interception interception, RequestBooks books, LineTemplate? chunk, long maxMessageBytes, RelayCounters counters) : ILineHandler
{
    private static readonly byte[] NotKept = "(not kept)"u8.ToArray();

    private string? _lastMethod;
    private IMessageInterceptor[]? _lastInterceptors;
    private bool _lastChunk;

    /// <remarks>
    /// Not an async method: most lines (chunks of a reply) need no interceptor and no rewrite, and go straight to the
    /// client's writer, whose uncontended write completes synchronously. Only the rare paths pay for a state machine.
    /// </remarks>
    public ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        counters.CountAgentLine(line.Length);
        try
        {
            return Route(line, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A line nobody foresaw must cost that line, never the relay: a pump that ends reads as the agent gone.
            writes.Warnings.LineFailed(ex, "the agent", RelayWarnings.Quote(line.Span));
            return ValueTask.FromResult(true);
        }
    }

    private ValueTask<bool> Route(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        MessageInfo info = MessageClassifier.Classify(line.Span, chunk);
        if (info.Kind == MessageKind.Invalid)
        {
            writes.Warnings.AgentLineDropped(info.Error.Message, line);
            return AnswerForInvalidAsync(info, cancellationToken);
        }

        string? method = info.Method;
        if (info.Kind == MessageKind.Response && info.Id is { } id)
        {
            if (!books.Pending.TryTake(id, out PendingRequest request))
            {
                if (!HostIdSpace.Contains(id) || !books.HostRequests.TryComplete(id, line.Span))
                {
                    writes.Warnings.UnexpectedResponse(id.ToString());
                    return ValueTask.FromResult(true);
                }

                writes.Trace(MessageTrace.AgentToHost, line.Span);
                return ValueTask.FromResult(true);
            }

            method = request.Method;
            if (request.IsAliased)
            {
                line = IdRewriter.Replace(line.Span, info.IdStart, info.IdLength, request.ClientId);
                info = MessageClassifier.Classify(line.Span, chunk);
            }
        }

        if (InterceptorsFor(method, info.IsChunk) is { } interceptors
            && Interception.FirstWanting(interceptors, method!, line) is var first and >= 0)
        {
            return InterceptThenForwardAsync(interceptors, first, info, method!, line, cancellationToken);
        }

        return writes.ForwardToClientAsync(line, cancellationToken);
    }

    /// <summary>
    /// The interceptors for <paramref name="method"/>, or null. The last answer is kept: a stream of updates asks for
    /// the same method (and kind) thousands of times in a row (a text chunk's name is one instance, so the comparison
    /// stops at the reference).
    /// Only this router's pump calls it, so the fields need no lock.
    /// </summary>
    private IMessageInterceptor[]? InterceptorsFor(string? method, bool isChunk)
    {
        if (method is null)
        {
            return null;
        }

        if (!string.Equals(method, _lastMethod, StringComparison.Ordinal) || isChunk != _lastChunk)
        {
            _lastInterceptors = interception.TryGet(method, isChunk, out IMessageInterceptor[] found) ? found : null;
            _lastMethod = method;
            _lastChunk = isChunk;
        }

        return _lastInterceptors;
    }

    private async ValueTask<bool> InterceptThenForwardAsync(
        IMessageInterceptor[] interceptors, int first, MessageInfo info, string method, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        Intercepted outcome = await interception.RunAsync(interceptors, first, Direction.FromAgent, info, method, line, cancellationToken).ConfigureAwait(false);
        if (outcome.Consumed)
        {
            writes.Trace(MessageTrace.AgentToHost, line.Span);
            return true;
        }

        return await writes.ForwardToClientAsync(outcome.Line, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An unreadable line can still leave someone waiting. If it was meant as a response to a request we know, that
    /// request is answered with an error instead of hanging; if it was a request of the agent's, the agent gets
    /// <c>-32600</c> back, as JSON-RPC asks, instead of waiting for an answer that will never come.
    /// </summary>
    private async ValueTask<bool> AnswerForInvalidAsync(MessageInfo info, CancellationToken cancellationToken)
    {
        if (info.Id is not { } id)
        {
            return true;
        }

        if (info.LooksLikeResponse)
        {
            if (books.Pending.TryTake(id, out PendingRequest request))
            {
                var error = new MessageError(JsonRpcErrorCodes.InternalError, "The agent's response could not be read: " + info.Error.Message);
                return await writes.ReplyToClientAsync(request.ClientId, error, cancellationToken).ConfigureAwait(false);
            }

            books.HostRequests.Fail(id, new AgentUnavailableException("The agent's response could not be read: " + info.Error.Message));
            return true;
        }

        if (info.HasMethod)
        {
            await writes.ReplyToAgentAsync(id, info.Error, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken)
    {
        writes.Warnings.AgentLineDropped($"over {maxMessageBytes} bytes", NotKept);
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken) => writes.FlushClientAsync(cancellationToken);
}
