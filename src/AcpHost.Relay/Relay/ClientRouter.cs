using System.Diagnostics;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Routes each line from the client: bad input is answered with an error, requests are recorded as pending (and
/// their id aliased if it falls in the host's id space), cancels follow aliases, everything else passes as it came.
/// </summary>
/// <param name="writes">Where lines and error replies go.</param>
/// <param name="interception">The features that registered for a method.</param>
/// <param name="books">The requests in flight, and the host's id space.</param>
/// <param name="dialect">Read once: the chunk template to classify with, and the cancel notification to follow.</param>
/// <param name="maxMessageBytes">The line length the framer refuses beyond, quoted in its error.</param>
/// <param name="counters">Where each received line is counted.</param>
internal sealed class ClientRouter(RelayWrites writes, Interception interception, RequestBooks books, RelayDialect dialect, long maxMessageBytes, RelayCounters counters) : ILineHandler
{
    private readonly LineTemplate? _chunk = dialect.Chunk;
    private readonly CancelNotification? _cancel = dialect.Cancel;
    private readonly bool _agentTrims = dialect.AgentTrimsLines;
    private readonly long _agentMaxLine = dialect.AgentMaxLineBytes ?? long.MaxValue;

    // Written by the pump's thread alone, around each line; read by the relay's end.
    private volatile bool _routing;

    /// <summary>
    /// Returns once the pump is between two lines, or after <paramref name="timeout"/>: the relay's end lets the line
    /// being routed finish (its answer, if the end left it one to write) before the client's output closes.
    /// </summary>
    public async Task BetweenLinesAsync(TimeSpan timeout)
    {
        long started = Stopwatch.GetTimestamp();
        while (_routing && Stopwatch.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        counters.CountClientLine(line.Length);
        if (_agentTrims)
        {
            // Read as the agent will read it (bad-input.md, C36): what follows (verdict, ids, features, the bytes
            // forwarded) sees the line without padding the agent ignores, and a line of nothing else is skipped, as
            // the agent skips it. A line without such padding is the same line.
            line = JavaScriptTrim.Cut(line);
            if (line.IsEmpty)
            {
                return true;
            }
        }

        _routing = true;
        try
        {
            return await RouteAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A line nobody foresaw must cost that line, never the relay: a pump that ends reads as the client gone.
            // A request still gets an answer, so the client does not wait for ever.
            writes.Warnings.LineFailed(ex, "the client", RelayWarnings.Quote(line.Span));
            MessageInfo info = MessageClassifier.Classify(line.Span, _chunk);
            return info.Kind != MessageKind.Request || info.Id is not { } id
                || await writes.ReplyToClientAsync(id, new MessageError(JsonRpcErrorCodes.InternalError, "The host could not handle this request: " + ex.Message), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _routing = false;
        }
    }

    private async ValueTask<bool> RouteAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        MessageInfo info = MessageClassifier.Classify(line.Span, _chunk);
        if (info.Kind == MessageKind.Invalid)
        {
            return await writes.RejectClientMessageAsync(info.Id, info.Error, cancellationToken).ConfigureAwait(false);
        }

        // While the agent restarts, the client's messages wait for it (bounded); requests that cannot wait any longer
        // get the agent-gone error, notifications are dropped.
        if (!await writes.WaitForAgentAsync(cancellationToken).ConfigureAwait(false))
        {
            return info.Kind == MessageKind.Request
                ? await writes.AnswerAgentGoneAsync(info.Id!.Value, cancellationToken).ConfigureAwait(false)
                : true;
        }

        return await RouteAsync(info, line, heldBy: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Routes a message an interceptor held back and now lets go (see <see cref="IRelayOutlet.ResumeClientMessageAsync"/>):
    /// the interceptors after <paramref name="heldBy"/> see it, then it goes on as if it had just arrived, flushed.
    /// </summary>
    public async ValueTask<bool> ResumeAsync(ReadOnlyMemory<byte> line, IMessageInterceptor heldBy, CancellationToken cancellationToken)
    {
        MessageInfo info = MessageClassifier.Classify(line.Span, _chunk);
        if (info.Kind == MessageKind.Request && info.Id is { } id && !books.Held.Release(id))
        {
            // The relay's end answered it while it was held: one answer per request.
            return true;
        }

        if (info.Kind == MessageKind.Invalid || !await writes.WaitForAgentAsync(cancellationToken).ConfigureAwait(false))
        {
            return info.Kind == MessageKind.Request
                ? await writes.AnswerAgentGoneAsync(info.Id!.Value, cancellationToken).ConfigureAwait(false)
                : true;
        }

        bool relayed = await RouteAsync(info, line, heldBy, cancellationToken).ConfigureAwait(false);
        await writes.FlushAgentAsync(cancellationToken).ConfigureAwait(false);
        return relayed;
    }

    private async ValueTask<bool> RouteAsync(MessageInfo info, ReadOnlyMemory<byte> line, IMessageInterceptor? heldBy, CancellationToken cancellationToken)
    {
        if (line.Length > _agentMaxLine)
        {
            return await RefuseTooLongAsync(info, cancellationToken).ConfigureAwait(false);
        }

        // One response per id: a request reusing an id in flight is refused before any feature sees it, so the host
        // never answers (a /fork, say) on top of the agent's answer to the first.
        if (info.Kind == MessageKind.Request && (books.Pending.IsInFlight(info.Id!.Value) || interception.IsAnswering(info.Id.Value)))
        {
            var duplicate = new MessageError(JsonRpcErrorCodes.InvalidRequest, $"Invalid request: id {info.Id.Value} is already in use by a request in flight");
            return await writes.RejectClientMessageAsync(info.Id, duplicate, cancellationToken).ConfigureAwait(false);
        }

        if (info.HasMethod && interception.TryGet(info.Method, chunk: false, out IMessageInterceptor[] interceptors))
        {
            int first = heldBy is null ? 0 : Array.IndexOf(interceptors, heldBy) + 1;
            Intercepted outcome = await interception.RunAsync(interceptors, first, Direction.FromClient, info, info.Method!, line, cancellationToken).ConfigureAwait(false);
            if (outcome.Consumed)
            {
                writes.Trace(MessageTrace.ClientToHost, line.Span);
                return !outcome.HeldAfterTheEnd || await writes.ReplyToClientAsync(info.Id, JsonRpcRelay.ShuttingDown, cancellationToken).ConfigureAwait(false);
            }

            (info, line) = (outcome.Info, outcome.Line);
        }

        switch (info.Kind)
        {
            case MessageKind.Request:
                return await ForwardRequestAsync(info, line, cancellationToken).ConfigureAwait(false);
            case MessageKind.Notification when _cancel is not null && info.Method == _cancel.Method:
                if (FollowAlias(_cancel, line) is not { } cancel)
                {
                    return true;
                }

                line = cancel;
                if (line.Length > _agentMaxLine)
                {
                    return await RefuseTooLongAsync(info, cancellationToken).ConfigureAwait(false);
                }

                break;
        }

        await writes.ForwardToAgentAsync(line, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A line longer than the agent reads: refused, with the request's id when it is one, and never written to the
    /// agent, whose reader would end its input on it (bad-input.md, C15b).
    /// </summary>
    private ValueTask<bool> RefuseTooLongAsync(MessageInfo info, CancellationToken cancellationToken)
    {
        var error = new MessageError(JsonRpcErrorCodes.InvalidRequest, $"Message too large: over {_agentMaxLine} bytes, the longest line the agent reads; it was dropped");
        return writes.RejectClientMessageAsync(info.Kind == MessageKind.Request ? info.Id : null, error, cancellationToken);
    }

    public async ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken)
    {
        var error = new MessageError(JsonRpcErrorCodes.InvalidRequest, $"Message too large: over {maxMessageBytes} bytes; it was dropped");
        return await writes.RejectClientMessageAsync(null, error, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken)
    {
        // The client pump keeps reading even when the agent has gone: its requests then get error replies.
        await writes.FlushAgentAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask<bool> ForwardRequestAsync(MessageInfo info, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        RequestId clientId = info.Id!.Value;
        RequestId agentId = HostIdSpace.Contains(clientId) ? books.Ids.Next() : clientId;
        if (agentId != clientId)
        {
            // The alias may be longer than the client's id: the line the agent reads is the one that must fit.
            line = IdRewriter.Replace(line.Span, info.IdStart, info.IdLength, agentId);
            if (line.Length > _agentMaxLine)
            {
                return await RefuseTooLongAsync(info, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!books.Pending.TryAdd(new PendingRequest(clientId, agentId, info.Method!)))
        {
            return await writes.AnswerAgentGoneAsync(clientId, cancellationToken).ConfigureAwait(false);
        }

        await writes.ForwardToAgentAsync(line, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A cancel names the client's id; if the agent knows that request by an alias, name the alias. A cancel that names
    /// an id of the host's own space but no request of the client's is dropped (null): the client must never be able
    /// to cancel the host's own requests, such as a fork it is making.
    /// </summary>
    private ReadOnlyMemory<byte>? FollowAlias(CancelNotification cancel, ReadOnlyMemory<byte> line)
    {
        if (!cancel.TryFindTarget(line.Span, out RequestId target, out long start, out long length) || !HostIdSpace.Contains(target))
        {
            return line;
        }

        if (books.Pending.TryGetAlias(target, out RequestId alias))
        {
            return IdRewriter.Replace(line.Span, start, length, alias);
        }

        writes.Warnings.ForeignCancelDropped(cancel.Method, target.ToString());
        return null;
    }
}
