using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>One session of <see cref="HostStatus"/>.</summary>
public sealed record LiveSession
{
    /// <summary>The session id.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary>Its working directory.</summary>
    [JsonPropertyName("cwd")]
    public required string Cwd { get; init; }

    /// <summary>Context in use, from the latest <c>usage_update</c>.</summary>
    [JsonPropertyName("usedTokens")]
    public long? UsedTokens { get; init; }

    /// <summary>The context window.</summary>
    [JsonPropertyName("contextWindow")]
    public long? ContextWindow { get; init; }

    /// <summary>Compactions recorded by this host.</summary>
    [JsonPropertyName("compactions")]
    public int Compactions { get; init; }

    /// <summary>The session it was forked from.</summary>
    [JsonPropertyName("parentSessionId")]
    public string? ParentSessionId { get; init; }

    /// <summary>Why it was forked.</summary>
    [JsonPropertyName("forkReason")]
    public string? ForkReason { get; init; }

    /// <summary>When the host first saw it.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }
}
