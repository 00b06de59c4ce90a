namespace AcpHost.Events;

/// <summary>
/// A compaction the ledger recorded (<see cref="IsUpdate"/> false), or later counts for one already recorded (true:
/// the transcript's boundary gave <c>postTokens</c>, the duration or the uuid after the wire's notice came).
/// </summary>
public sealed record CompactionRecorded : HostEvent
{
    /// <summary>The ledger record's id: one compaction, one id, across updates.</summary>
    public required string Id { get; init; }

    /// <summary>The session compacted.</summary>
    public required string SessionId { get; init; }

    /// <summary><c>auto</c>, <c>manual</c> or <c>idle</c>; null when no source told.</summary>
    public string? Trigger { get; init; }

    /// <summary>Tokens of live context before the compaction.</summary>
    public long? PreTokens { get; init; }

    /// <summary>Tokens after it.</summary>
    public long? PostTokens { get; init; }

    /// <summary>How long it took.</summary>
    public long? DurationMs { get; init; }

    /// <summary>The session's context window at the time.</summary>
    public long? ContextWindow { get; init; }

    /// <summary>Where the host learned of it (the ledger's <c>source</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The transcript's <c>compact_boundary</c> uuid, once known.</summary>
    public string? BoundaryUuid { get; init; }

    /// <summary>What the summary no longer names, once the summary line was read.</summary>
    public Storage.Ledgers.FlattenedSpecifics? Flattened { get; init; }

    /// <summary>True when this carries later counts for a compaction already published.</summary>
    public bool IsUpdate { get; init; }
}
