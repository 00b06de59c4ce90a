namespace AcpHost.Events;

/// <summary>A live session's context fill changed (a <c>usage_update</c>). Published several times a turn.</summary>
public sealed record ContextFillChanged : HostEvent
{
    /// <summary>The session.</summary>
    public required string SessionId { get; init; }

    /// <summary>Context in use.</summary>
    public long? UsedTokens { get; init; }

    /// <summary>The context window.</summary>
    public long? ContextWindow { get; init; }
}
