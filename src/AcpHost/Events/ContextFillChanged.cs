using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>A live session's context fill changed (a <c>usage_update</c>). Published several times a turn.</summary>
internal sealed record ContextFillChanged : HostEvent
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
}
