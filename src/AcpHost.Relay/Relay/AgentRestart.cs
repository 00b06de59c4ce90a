using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>One restart of the agent.</summary>
/// <param name="Attempt">1 for the first restart of this host, and so on.</param>
/// <param name="PreviousExit">How the agent that is being replaced ended.</param>
public sealed record AgentRestart(int Attempt, AgentExit PreviousExit);
