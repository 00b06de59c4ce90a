using System.Buffers;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>The relay's writes: lines relayed, the host's own messages to either peer, and its answers and errors.</summary>
public sealed partial class JsonRpcRelay
{
    /// <inheritdoc/>
    public async ValueTask<bool> SendToClientAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        Trace(MessageTrace.HostToClient, message.Span);
        return await ToClient.WriteLineAsync(message, flush: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> NotifyClientAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + paramsJson.Length);
        JsonRpcWriter.WriteNotification(buffer, method, paramsJson.Span);
        return SendToClientAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<AgentResponse> RequestAgentAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        RequestId id = Ids.Next();
        Task<AgentResponse> response = HostRequests.Register(id);
        var buffer = new ArrayBufferWriter<byte>(128 + paramsJson.Length);
        JsonRpcWriter.WriteRequest(buffer, id, method, paramsJson.Span);
        Trace(MessageTrace.HostToAgent, buffer.WrittenSpan);

        // Every wait is bounded: an agent that never answers (or never reads) must not hold whoever asked for ever.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Options.HostRequestTimeout);
        try
        {
            if (!await ToAgent.WriteLineAsync(buffer.WrittenMemory, flush: true, bounded.Token).ConfigureAwait(false))
            {
                HostRequests.Abandon(id);
                throw new AgentUnavailableException($"The agent is not reading its input; '{method}' was not sent");
            }

            return await response.WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            HostRequests.Abandon(id);
            await CancelAgentRequestAsync(id).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            RelayLog.HostRequestTimedOut(Log, method, Options.HostRequestTimeout);
            throw new AgentUnavailableException($"The agent did not answer '{method}' within {Options.HostRequestTimeout.TotalSeconds:0.###} s");
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ResumeClientMessageAsync(ReadOnlyMemory<byte> line, IMessageInterceptor heldBy, CancellationToken cancellationToken) =>
        _clientRouter.ResumeAsync(line, heldBy ?? throw new ArgumentNullException(nameof(heldBy)), cancellationToken);

    internal async ValueTask ForwardToAgentAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        Trace(MessageTrace.ClientToAgent, line.Span);
        await ToAgent.WriteLineAsync(line, flush: false, cancellationToken).ConfigureAwait(false);
    }

    internal ValueTask<bool> ForwardToClientAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        Trace(MessageTrace.AgentToClient, line.Span);
        return ToClient.WriteLineAsync(line, flush: false, cancellationToken);
    }

    internal async ValueTask<bool> RejectClientMessageAsync(RequestId? id, MessageError error, CancellationToken cancellationToken)
    {
        Warnings.ClientMessageRejected(error.Message, error.Code, id?.ToString() ?? "null");
        return await ReplyToClientAsync(id, error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a client request (or bad input, with <paramref name="id"/> null) with an error of the host's.</summary>
    internal async ValueTask<bool> ReplyToClientAsync(RequestId? id, MessageError error, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, id, error.Code, error.Message);
        return await SendToClientAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers one of the agent's requests with an error of the host's.</summary>
    internal async ValueTask ReplyToAgentAsync(RequestId id, MessageError error, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, id, error.Code, error.Message);
        Trace(MessageTrace.HostToAgent, buffer.WrittenSpan);
        await ToAgent.WriteLineAsync(buffer.WrittenMemory, flush: true, cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask<bool> AnswerAgentGoneAsync(RequestId clientId, CancellationToken cancellationToken)
    {
        AgentExit exit = _agentLoss ?? new AgentExit(-1, [], KilledByHost: false);
        var buffer = new ArrayBufferWriter<byte>(512);
        AgentGoneError.Write(buffer, clientId, exit);
        return await SendToClientAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private async Task CancelAgentRequestAsync(RequestId id)
    {
        byte[] parameters = JsonRpcWriter.ToBytes(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("requestId"u8);
            id.WriteTo(writer);
            writer.WriteEndObject();
        });
        var message = new ArrayBufferWriter<byte>(160);
        JsonRpcWriter.WriteNotification(message, CancelRequest.Method, parameters);
        Trace(MessageTrace.HostToAgent, message.WrittenSpan);

        // Bounded too: the request being given up on may be the very write an agent that stopped reading is holding.
        using var bounded = new CancellationTokenSource(Options.DrainTimeout);
        try
        {
            await ToAgent.WriteLineAsync(message.WrittenMemory, flush: true, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // The agent is not reading: the cancel is dropped, or stays queued and goes if it reads again.
        }
    }
}
