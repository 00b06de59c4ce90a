namespace AcpHost.Events;

/// <summary>The agent died and the host started a new one and reopened what it could.</summary>
internal sealed record AgentRestarted : HostEvent
{
    /// <summary>1 for the first restart of this host, and so on.</summary>
    public required int Attempt { get; init; }

    /// <summary>How the previous agent ended (128 + signal number when a signal ended it).</summary>
    public required int ExitCode { get; init; }

    /// <summary>Sessions the new agent took back.</summary>
    public required int SessionsResumed { get; init; }

    /// <summary>Sessions it would not take back.</summary>
    public required IReadOnlyList<string> LostSessionIds { get; init; }
}
