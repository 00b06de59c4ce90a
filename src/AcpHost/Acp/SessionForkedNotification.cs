using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The params of <c>_acphost/session_forked</c>, sent to the client for every fork, whoever made it.</summary>
public sealed record SessionForkedNotification
{
    /// <summary>The new session.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary>The session it was forked from.</summary>
    [JsonPropertyName("parentSessionId")]
    public required string ParentSessionId { get; init; }

    /// <summary><c>client</c>, <c>command</c>, <c>pre-compact</c> or <c>control</c>.</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    /// <summary>The parent's context fill when it was forked, if known.</summary>
    [JsonPropertyName("usedTokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? UsedTokens { get; init; }

    /// <summary>The context window, if known.</summary>
    [JsonPropertyName("contextWindow")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ContextWindow { get; init; }
}
