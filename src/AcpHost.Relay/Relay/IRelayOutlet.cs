namespace AcpHost.Relay.Relay;

/// <summary>How features send messages of the host's own, through the same single writer per direction.</summary>
public interface IRelayOutlet
{
    /// <summary>Sends one complete JSON-RPC message (no line ending) to the client.</summary>
    /// <returns>False when the client is gone.</returns>
    ValueTask<bool> SendToClientAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Sends a notification to the client; <paramref name="paramsJson"/> is encoded JSON or empty.</summary>
    /// <returns>False when the client is gone.</returns>
    ValueTask<bool> NotifyClientAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a request to the agent under an id from the host's own id space and waits for its response.
    /// Throws <see cref="AgentUnavailableException"/> when the agent is gone or goes before answering.
    /// </summary>
    Task<AgentResponse> RequestAgentAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken);
}
