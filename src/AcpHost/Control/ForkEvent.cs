using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>The params of <c>event/fork</c>.</summary>
public sealed record ForkEvent
{
    /// <summary>The new session.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary>The session forked.</summary>
    [JsonPropertyName("parentSessionId")]
    public required string ParentSessionId { get; init; }

    /// <summary><c>client</c>, <c>command</c>, <c>pre-compact</c> or <c>control</c>.</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    /// <summary>The parent's fill at the time, if known.</summary>
    [JsonPropertyName("usedTokens")]
    public long? UsedTokens { get; init; }

    /// <summary>The context window, if known.</summary>
    [JsonPropertyName("contextWindow")]
    public long? ContextWindow { get; init; }

    /// <summary>When (UTC).</summary>
    [JsonPropertyName("at")]
    public required DateTimeOffset At { get; init; }
}
