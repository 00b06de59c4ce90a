using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>
/// What the relay needs to bring a dead agent back while the client stays connected: whether and when to try
/// (<see cref="NextRestartDelay"/>), how to start a new agent, and how to put it back in the state the client expects
/// (replaying <c>initialize</c>, reopening sessions: ACP knowledge, so it lives in the features).
/// </summary>
public interface IAgentRecovery
{
    /// <summary>How long to wait before the next restart after <paramref name="lastExit"/>, or null to give up.</summary>
    TimeSpan? NextRestartDelay(AgentExit lastExit);

    /// <summary>Starts a new agent process.</summary>
    Task<IAgentConnection> StartAgentAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Brings the new agent to where the old one was, through <paramref name="relay"/>'s host requests, and tells the
    /// client. Client messages are held until it returns.
    /// </summary>
    Task RestoreAsync(IRelayOutlet relay, AgentRestart restart, CancellationToken cancellationToken);
}
