using AcpHost.Control;
using AcpHost.Events;

namespace AcpHost.Tests.Control;

/// <summary>Canned host statuses for the control client and command tests.</summary>
internal static class ControlSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The environment the commands see in tests: no <c>XDG_RUNTIME_DIR</c>, so only the data dir's run/ counts.</summary>
    public static readonly Func<string, string?> NoRuntimeDir = _ => null;

    /// <summary>A host with a root session and a fork of it.</summary>
    public static HostStatus Host(int pid, string dataDir, params SessionRecord[] sessions) => new()
    {
        Pid = pid,
        AgentPid = pid + 8,
        Agent = "claude-agent-acp 0.9.0",
        StartedAt = T0.AddSeconds(pid % 1000),
        UptimeSeconds = 3725.4,
        DataDir = dataDir,
        Cwd = "/work/app",
        Sessions = sessions.Length > 0 ? sessions : Family(),
    };

    public static SessionRecord[] Family() =>
    [
        new() { SessionId = "s-root", Cwd = "/work/app", UsedTokens = 150_000, ContextWindow = 200_000, Compactions = 2, CreatedAt = T0 },
        new() { SessionId = "s-fork-a", Cwd = "/work/app", ParentSessionId = "s-root", ForkReason = "pre-compact", CreatedAt = T0.AddHours(1) },
    ];
}
