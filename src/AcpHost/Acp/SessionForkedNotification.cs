using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Acp;

/// <summary>
/// The params of <c>_acphost/session_forked</c>, sent to the client for every fork, whoever made it: a
/// <see cref="SessionForked"/> as the client sees it (without the time: the client is told as it happens).
/// </summary>
internal sealed record SessionForkedNotification
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

    /// <summary>The notification for <paramref name="fork"/>.</summary>
    public static SessionForkedNotification From(SessionForked fork)
    {
        ArgumentNullException.ThrowIfNull(fork);
        return new SessionForkedNotification
        {
            SessionId = fork.SessionId,
            ParentSessionId = fork.ParentSessionId,
            Reason = fork.Reason,
            UsedTokens = fork.UsedTokens,
            ContextWindow = fork.ContextWindow,
        };
    }
}
