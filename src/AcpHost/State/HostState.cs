namespace AcpHost.State;

/// <summary>What the host knows about itself and its agent, for <c>host/status</c>.</summary>
internal sealed class HostState(TimeProvider time)
{
    /// <summary>When this host started (UTC).</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>The agent's process id, once started.</summary>
    public int? AgentPid { get; private set; }

    /// <summary>The agent as the host knows it: its <c>initialize</c> name and version, else what was started.</summary>
    public string? Agent { get; private set; }

    /// <summary>Records the started agent.</summary>
    public void AgentStarted(int pid, string description)
    {
        AgentPid = pid;
        Agent = description;
    }

    /// <summary>Records the agent's own name and version from its <c>initialize</c> answer.</summary>
    public void AgentIdentified(string name, string version) => Agent = $"{name} {version}";
}
