using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>The params of <c>event/usage</c>.</summary>
public sealed record UsageEvent
{
    /// <summary>The session.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary>Context in use.</summary>
    [JsonPropertyName("usedTokens")]
    public long? UsedTokens { get; init; }

    /// <summary>The context window.</summary>
    [JsonPropertyName("contextWindow")]
    public long? ContextWindow { get; init; }

    /// <summary>When (UTC).</summary>
    [JsonPropertyName("at")]
    public required DateTimeOffset At { get; init; }
}
