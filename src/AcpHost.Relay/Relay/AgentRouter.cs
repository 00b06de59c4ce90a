using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Routes each line from the agent: responses are matched to the client request they answer (aliases turned back
/// into the client's id) or to a request of the host's; unparsable lines are logged and dropped; everything else
/// passes as it came.
/// </summary>
internal sealed class AgentRouter(JsonRpcRelay relay) : ILineHandler
{
    private static readonly byte[] NotKept = "(not kept)"u8.ToArray();

    private string? _lastMethod;
    private IMessageInterceptor[]? _lastInterceptors;
    private bool _lastTextChunk;

    /// <remarks>
    /// Not an async method: most lines (chunks of a reply) need no interceptor and no rewrite, and go straight to the
    /// client's writer, whose uncontended write completes synchronously. Only the rare paths pay for a state machine.
    /// </remarks>
    public ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        relay.Counters.CountAgentLine(line.Length);
        try
        {
            return Route(line, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A line nobody foresaw must cost that line, never the relay: a pump that ends reads as the agent gone.
            relay.Warnings.LineFailed(ex, "the agent", RelayWarnings.Quote(line.Span));
            return ValueTask.FromResult(true);
        }
    }

    private ValueTask<bool> Route(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        MessageInfo info = MessageClassifier.Classify(line.Span);
        if (info.Kind == MessageKind.Invalid)
        {
            relay.Warnings.AgentLineDropped(info.Error.Message, line);
            return AnswerForInvalidAsync(info, cancellationToken);
        }

        string? method = info.Method;
        if (info.Kind == MessageKind.Response && info.Id is { } id)
        {
            if (!relay.Pending.TryTake(id, out PendingRequest request))
            {
                if (!HostIdSpace.Contains(id) || !relay.HostRequests.TryComplete(id, line.Span))
                {
                    relay.Warnings.UnexpectedResponse(id.ToString());
                    return ValueTask.FromResult(true);
                }

                relay.Trace(MessageTrace.AgentToHost, line.Span);
                return ValueTask.FromResult(true);
            }

            method = request.Method;
            if (request.IsAliased)
            {
                line = IdRewriter.Replace(line.Span, info.IdStart, info.IdLength, request.ClientId);
                info = MessageClassifier.Classify(line.Span);
            }
        }

        if (InterceptorsFor(method, info.IsTextChunk) is { } interceptors
            && JsonRpcRelay.FirstWanting(interceptors, method!, line) is var first and >= 0)
        {
            return InterceptThenForwardAsync(interceptors, first, info, method!, line, cancellationToken);
        }

        return relay.ForwardToClientAsync(line, cancellationToken);
    }

    /// <summary>
    /// The interceptors for <paramref name="method"/>, or null. The last answer is kept: a stream of updates asks for
    /// the same method (and kind) thousands of times in a row, and method names come from one cache, so the same instance.
    /// Only this router's pump calls it, so the fields need no lock.
    /// </summary>
    private IMessageInterceptor[]? InterceptorsFor(string? method, bool textChunk)
    {
        if (method is null)
        {
            return null;
        }

        if (!ReferenceEquals(method, _lastMethod) || textChunk != _lastTextChunk)
        {
            _lastInterceptors = relay.Interceptors.TryGet(method, textChunk, out IMessageInterceptor[] found) ? found : null;
            _lastMethod = method;
            _lastTextChunk = textChunk;
        }

        return _lastInterceptors;
    }

    private async ValueTask<bool> InterceptThenForwardAsync(
        IMessageInterceptor[] interceptors, int first, MessageInfo info, string method, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        Intercepted outcome = await relay.InterceptAsync(interceptors, first, Direction.FromAgent, info, method, line, cancellationToken).ConfigureAwait(false);
        if (outcome.Consumed)
        {
            relay.Trace(MessageTrace.AgentToHost, line.Span);
            return true;
        }

        return await relay.ForwardToClientAsync(outcome.Line, cancellationToken).ConfigureAwait(false);
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
            if (relay.Pending.TryTake(id, out PendingRequest request))
            {
                var error = new MessageError(JsonRpcErrorCodes.InternalError, "The agent's response could not be read: " + info.Error.Message);
                return await relay.ReplyToClientAsync(request.ClientId, error, cancellationToken).ConfigureAwait(false);
            }

            relay.HostRequests.Fail(id, new AgentUnavailableException("The agent's response could not be read: " + info.Error.Message));
            return true;
        }

        if (info.HasMethod)
        {
            await relay.ReplyToAgentAsync(id, info.Error, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken)
    {
        relay.Warnings.AgentLineDropped($"over {relay.Options.MaxMessageBytes} bytes", NotKept);
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken) => relay.ToClient.FlushAsync(cancellationToken);
}
