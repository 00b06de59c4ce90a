namespace AcpHost.Events;

/// <summary>A session was opened through the host (created, loaded, resumed or forked), or opened again.</summary>
internal sealed record SessionOpened : HostEvent
{
    /// <summary>The session.</summary>
    public required string SessionId { get; init; }

    /// <summary>Its working directory: personal data, so a subscriber that leaves the machine hashes or omits it.</summary>
    public required string Cwd { get; init; }

    /// <summary>The method that opened it: <c>session/new</c>, <c>session/load</c>, <c>session/resume</c> or <c>session/fork</c>.</summary>
    public required string OpenedBy { get; init; }

    /// <summary>For a fork, the session it came from.</summary>
    public string? ParentSessionId { get; init; }
}
