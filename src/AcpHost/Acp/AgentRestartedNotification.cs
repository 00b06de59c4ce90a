using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The params of <c>_acphost/agent_restarted</c>.</summary>
internal sealed record AgentRestartedNotification
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

    /// <summary>How many sessions it could not take back.</summary>
    [JsonPropertyName("sessionsLost")]
    public required int SessionsLost { get; init; }

    /// <summary>
    /// The sessions it could not take back, by id: the client's next request naming one is answered with an error
    /// saying it was lost in this restart, and why.
    /// </summary>
    [JsonPropertyName("lostSessionIds")]
    public required IReadOnlyList<string> LostSessionIds { get; init; }
}
