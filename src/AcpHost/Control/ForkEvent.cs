using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Control;

/// <summary>The params of <c>event/fork</c>: a <see cref="SessionForked"/> as the control wire carries it.</summary>
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

    /// <summary>The event's params for <paramref name="fork"/>.</summary>
    public static ForkEvent From(SessionForked fork)
    {
        ArgumentNullException.ThrowIfNull(fork);
        return new ForkEvent
        {
            SessionId = fork.SessionId,
            ParentSessionId = fork.ParentSessionId,
            Reason = fork.Reason,
            UsedTokens = fork.UsedTokens,
            ContextWindow = fork.ContextWindow,
            At = fork.At,
        };
    }
}
