using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Control;

/// <summary>The params of <c>event/usage</c>: a <see cref="ContextFillChanged"/> as the control wire carries it.</summary>
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

    /// <summary>The event's params for <paramref name="fill"/>.</summary>
    public static UsageEvent From(ContextFillChanged fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        return new UsageEvent { SessionId = fill.SessionId, UsedTokens = fill.UsedTokens, ContextWindow = fill.ContextWindow, At = fill.At };
    }
}
