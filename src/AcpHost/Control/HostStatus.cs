using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Control;

/// <summary>The result of <c>host/status</c>.</summary>
internal sealed record HostStatus
{
    /// <summary>The host's process id.</summary>
    [JsonPropertyName("pid")]
    public required int Pid { get; init; }

    /// <summary>The agent process id, once started.</summary>
    [JsonPropertyName("agentPid")]
    public int? AgentPid { get; init; }

    /// <summary>The agent's name and version from its <c>initialize</c> answer, or the command run.</summary>
    [JsonPropertyName("agent")]
    public string? Agent { get; init; }

    /// <summary>When the host started (UTC).</summary>
    [JsonPropertyName("startedAt")]
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Seconds since then.</summary>
    [JsonPropertyName("uptimeSeconds")]
    public required double UptimeSeconds { get; init; }

    /// <summary>The data directory.</summary>
    [JsonPropertyName("dataDir")]
    public required string DataDir { get; init; }

    /// <summary>The working directory the host (and so the agent) runs in.</summary>
    [JsonPropertyName("cwd")]
    public string? Cwd { get; init; }

    /// <summary>The sessions the host relays, each as the session ledger keeps it.</summary>
    [JsonPropertyName("sessions")]
    public required IReadOnlyList<SessionRecord> Sessions { get; init; }
}
