using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>How a relay run ended.</summary>
/// <param name="End">Why it stopped.</param>
/// <param name="AgentExit">How the agent ended.</param>
/// <param name="UnansweredRequests">Client requests that got an error reply because the agent never answered.</param>
public sealed record RelayOutcome(RelayEnd End, AgentExit AgentExit, int UnansweredRequests)
{
    /// <summary>
    /// The process exit code this outcome calls for: 0 for a normal end; for a lost agent its own exit code,
    /// or 1 when that was 0 (an agent that quits while the client still talks to it is a failure all the same).
    /// </summary>
    public int ExitCode => End == RelayEnd.AgentLost ? (AgentExit.ExitCode is > 0 and < 256 ? AgentExit.ExitCode : 1) : 0;
}
