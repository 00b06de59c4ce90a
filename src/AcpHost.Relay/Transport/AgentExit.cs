namespace AcpHost.Relay.Transport;

/// <summary>How the agent ended.</summary>
/// <param name="ExitCode">The process exit code (128 + signal number when a signal ended it).</param>
/// <param name="LastStderrLines">The last lines it wrote to stderr, oldest first, to quote when it dies.</param>
/// <param name="KilledByHost">True when the host ended it after the grace period.</param>
public sealed record AgentExit(int ExitCode, IReadOnlyList<string> LastStderrLines, bool KilledByHost);
