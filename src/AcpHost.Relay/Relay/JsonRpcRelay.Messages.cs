using System.Buffers;
using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>The relay as the features' <see cref="IRelayOutlet"/>: the host's own messages to either peer.</summary>
public sealed partial class JsonRpcRelay
{
    /// <inheritdoc/>
    public ValueTask<bool> SendToClientAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        _writes.SendToClientAsync(message, cancellationToken);

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
        RequestId id = _books.Ids.Next();
        var buffer = new ArrayBufferWriter<byte>(128 + paramsJson.Length);
        JsonRpcWriter.WriteRequest(buffer, id, method, paramsJson.Span);
        if (buffer.WrittenCount > (_setup.Dialect.AgentMaxLineBytes ?? long.MaxValue))
        {
            // The agent's reader would end its input on it: never sent.
            throw new AgentUnavailableException($"'{method}' was not sent: {buffer.WrittenCount} bytes is over the {_setup.Dialect.AgentMaxLineBytes} bytes the agent reads in a line");
        }

        Task<AgentResponse> response = _books.HostRequests.Register(id);

        // Every wait is bounded: an agent that never answers (or never reads) must not hold whoever asked for ever.
        TimeSpan timeout = _setup.Options.HostRequestTimeout;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            if (!await _writes.SendToAgentAsync(buffer.WrittenMemory, bounded.Token).ConfigureAwait(false))
            {
                _books.HostRequests.Abandon(id);
                throw new AgentUnavailableException($"The agent is not reading its input; '{method}' was not sent");
            }

            return await response.WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            _books.HostRequests.Abandon(id);
            await CancelAgentRequestAsync(id).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            RelayLog.HostRequestTimedOut(_log, method, timeout);
            throw new AgentUnavailableException($"The agent did not answer '{method}' within {timeout.TotalSeconds:0.###} s");
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ResumeClientMessageAsync(ReadOnlyMemory<byte> line, IMessageInterceptor heldBy, CancellationToken cancellationToken) =>
        _clientRouter.ResumeAsync(line, heldBy ?? throw new ArgumentNullException(nameof(heldBy)), cancellationToken);

    /// <summary>Tells the agent, in the dialect's cancel notification if it has one, that the host gave up on <paramref name="id"/>.</summary>
    private async Task CancelAgentRequestAsync(RequestId id)
    {
        if (_setup.Dialect.Cancel is not { } cancel)
        {
            return;
        }

        var message = new ArrayBufferWriter<byte>(160);
        cancel.Write(message, id);

        // Bounded too: the request being given up on may be the very write an agent that stopped reading is holding.
        using var bounded = new CancellationTokenSource(_setup.Options.DrainTimeout);
        try
        {
            await _writes.SendToAgentAsync(message.WrittenMemory, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // The agent is not reading: the cancel is dropped, or stays queued and goes if it reads again.
        }
    }
}
