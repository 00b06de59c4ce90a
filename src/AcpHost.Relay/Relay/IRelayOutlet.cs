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

    /// <summary>
    /// Lets go of a client message that <paramref name="heldBy"/> consumed to hold it back (while the host reopens or
    /// forks its session): the interceptors after <paramref name="heldBy"/> see it, then it goes to the agent as if it
    /// had just arrived (a request recorded as pending, its id aliased if needed). The caller keeps the order of the
    /// messages it lets go.
    /// </summary>
    /// <returns>False when the client is gone.</returns>
    ValueTask<bool> ResumeClientMessageAsync(ReadOnlyMemory<byte> line, IMessageInterceptor heldBy, CancellationToken cancellationToken);
}
