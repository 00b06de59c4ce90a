using System.Text.Json.Serialization;

namespace AcpHost.Features.Recovery;

/// <summary>The params of <c>_acphost/agent_restarted</c>.</summary>
public sealed record AgentRestartedNotification
{
    /// <summary>1 for the host's first restart, and so on.</summary>
    [JsonPropertyName("attempt")]
    public required int Attempt { get; init; }

    /// <summary>How the agent that died exited.</summary>
    [JsonPropertyName("exitCode")]
    public required int ExitCode { get; init; }

    /// <summary>Sessions the new agent took back: their ids keep working.</summary>
    [JsonPropertyName("sessionsResumed")]
    public required int SessionsResumed { get; init; }

    /// <summary>Sessions it could not take back: their next use gets the agent's error.</summary>
    [JsonPropertyName("sessionsLost")]
    public required int SessionsLost { get; init; }
}
