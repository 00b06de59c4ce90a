namespace AcpHost.Events;

/// <summary>
/// A live session's model request found its prompt cache cold and wrote its context again, as its transcript shows.
/// The fact itself is the usage model's <see cref="ColdRequest"/>; this names the session it happened in.
/// </summary>
internal sealed record CacheWentCold : HostEvent
{
    /// <summary>The session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The request, with why it found the cache cold and what that cost.</summary>
    public required ColdRequest Request { get; init; }
}
