using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>A session was forked (by the client, <c>/fork</c>, the pre-compact policy or the control plane).</summary>
internal sealed record SessionForked : HostEvent
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

    /// <summary>The parent's context in use at fork time, if known.</summary>
    [JsonPropertyName("usedTokens")]
    public long? UsedTokens { get; init; }

    /// <summary>The context window, if known.</summary>
    [JsonPropertyName("contextWindow")]
    public long? ContextWindow { get; init; }
}
