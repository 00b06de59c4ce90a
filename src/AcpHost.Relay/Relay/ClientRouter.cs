using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Routes each line from the client: bad input is answered with an error, requests are recorded as pending (and
/// their id aliased if it falls in the host's id space), cancels follow aliases, everything else passes as it came.
/// </summary>
internal sealed class ClientRouter(JsonRpcRelay relay) : ILineHandler
{
    public async ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        relay.Counters.CountClientLine(line.Length);
        try
        {
            return await RouteAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A line nobody foresaw must cost that line, never the relay: a pump that ends reads as the client gone.
            // A request still gets an answer, so the client does not wait for ever.
            relay.Warnings.LineFailed(ex, "the client", RelayWarnings.Quote(line.Span));
            MessageInfo info = MessageClassifier.Classify(line.Span);
            return info.Kind != MessageKind.Request || info.Id is not { } id
                || await relay.ReplyToClientAsync(id, new MessageError(JsonRpcErrorCodes.InternalError, "The host could not handle this request: " + ex.Message), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> RouteAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        MessageInfo info = MessageClassifier.Classify(line.Span);
        if (info.Kind == MessageKind.Invalid)
        {
            return await relay.RejectClientMessageAsync(info.Id, info.Error, cancellationToken).ConfigureAwait(false);
        }

        // While the agent restarts, the client's messages wait for it (bounded); requests that cannot wait any longer
        // get the agent-gone error, notifications are dropped.
        if (!await relay.WaitForAgentAsync(cancellationToken).ConfigureAwait(false))
        {
            return info.Kind == MessageKind.Request
                ? await relay.AnswerAgentGoneAsync(info.Id!.Value, cancellationToken).ConfigureAwait(false)
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
        MessageInfo info = MessageClassifier.Classify(line.Span);
        if (info.Kind == MessageKind.Invalid || !await relay.WaitForAgentAsync(cancellationToken).ConfigureAwait(false))
        {
            return info.Kind == MessageKind.Request
                ? await relay.AnswerAgentGoneAsync(info.Id!.Value, cancellationToken).ConfigureAwait(false)
                : true;
        }

        bool relayed = await RouteAsync(info, line, heldBy, cancellationToken).ConfigureAwait(false);
        await relay.ToAgent.FlushAsync(cancellationToken).ConfigureAwait(false);
        return relayed;
    }

    private async ValueTask<bool> RouteAsync(MessageInfo info, ReadOnlyMemory<byte> line, IMessageInterceptor? heldBy, CancellationToken cancellationToken)
    {
        // One response per id: a request reusing an id in flight is refused before any feature sees it, so the host
        // never answers (a /fork, say) on top of the agent's answer to the first.
        if (info.Kind == MessageKind.Request && (relay.Pending.IsInFlight(info.Id!.Value) || relay.Work.IsAnswering(info.Id.Value)))
        {
            var duplicate = new MessageError(JsonRpcErrorCodes.InvalidRequest, $"Invalid request: id {info.Id.Value} is already in use by a request in flight");
            return await relay.RejectClientMessageAsync(info.Id, duplicate, cancellationToken).ConfigureAwait(false);
        }

        if (info.HasMethod && relay.Interceptors.TryGet(info.Method, out IMessageInterceptor[] interceptors))
        {
            int first = heldBy is null ? 0 : Array.IndexOf(interceptors, heldBy) + 1;
            Intercepted outcome = await relay.InterceptAsync(interceptors, first, Direction.FromClient, info, info.Method!, line, cancellationToken).ConfigureAwait(false);
            if (outcome.Consumed)
            {
                relay.Trace(MessageTrace.ClientToHost, line.Span);
                return true;
            }

            (info, line) = (outcome.Info, outcome.Line);
        }

        switch (info.Kind)
        {
            case MessageKind.Request:
                return await ForwardRequestAsync(info, line, cancellationToken).ConfigureAwait(false);
            case MessageKind.Notification when info.Method == CancelRequest.Method:
                if (FollowAlias(line) is not { } cancel)
                {
                    return true;
                }

                line = cancel;
                break;
        }

        await relay.ForwardToAgentAsync(line, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken)
    {
        var error = new MessageError(JsonRpcErrorCodes.InvalidRequest, $"Message too large: over {relay.Options.MaxMessageBytes} bytes; it was dropped");
        return await relay.RejectClientMessageAsync(null, error, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken)
    {
        // The client pump keeps reading even when the agent has gone: its requests then get error replies.
        await relay.ToAgent.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask<bool> ForwardRequestAsync(MessageInfo info, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        RequestId clientId = info.Id!.Value;
        RequestId agentId = HostIdSpace.Contains(clientId) ? relay.Ids.Next() : clientId;
        if (!relay.Pending.TryAdd(new PendingRequest(clientId, agentId, info.Method!)))
        {
            return await relay.AnswerAgentGoneAsync(clientId, cancellationToken).ConfigureAwait(false);
        }

        if (agentId != clientId)
        {
            line = IdRewriter.Replace(line.Span, info.IdStart, info.IdLength, agentId);
        }

        await relay.ForwardToAgentAsync(line, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A cancel names the client's id; if the agent knows that request by an alias, name the alias. A cancel that names
    /// an id of the host's own space but no request of the client's is dropped (null): the client must never be able
    /// to cancel the host's own requests, such as a fork it is making.
    /// </summary>
    private ReadOnlyMemory<byte>? FollowAlias(ReadOnlyMemory<byte> line)
    {
        if (!IdRewriter.TryFindCancelTarget(line.Span, out RequestId target, out long start, out long length) || !HostIdSpace.Contains(target))
        {
            return line;
        }

        if (relay.Pending.TryGetAlias(target, out RequestId alias))
        {
            return IdRewriter.Replace(line.Span, start, length, alias);
        }

        relay.Warnings.ForeignCancelDropped(target.ToString());
        return null;
    }
}
