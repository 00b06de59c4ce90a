using AcpHost.Events;

namespace AcpHost.Features.Compaction;

/// <summary>The tracker's working state for one compaction. Mutable; only ever touched under the tracker's lock.</summary>
internal sealed class TrackedCompaction(string id, string sessionId, string source, DateTimeOffset at)
{
    public string Id { get; } = id;

    public string SessionId { get; } = sessionId;

    public string Source { get; } = source;

    public DateTimeOffset At { get; } = at;

    /// <summary>Tool call and compaction ids the wire used for it.</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>True once any live signal reported it (as opposed to the transcript alone).</summary>
    public bool SeenOnWire { get; set; }

    public string? BoundaryUuid { get; set; }

    /// <summary>True once a live signal named the trigger: the wire's word then stands.</summary>
    public bool TriggerFromWire { get; set; }

    /// <summary>
    /// True when its first live signal came while the session had no prompt in flight and no <c>/compact</c> awaited
    /// (see <see cref="State.SessionTurns"/>): a transcript's <c>manual</c> then means the agent's idle compaction.
    /// </summary>
    public bool BeganOutsideTurn { get; set; }

    /// <summary>The trigger as recorded: the transcript's <c>manual</c> for a compaction no client asked for is <c>idle</c>.</summary>
    public string? Trigger => Facts.Trigger == CompactionTriggers.Manual && BeganOutsideTurn && !TriggerFromWire
        ? CompactionTriggers.Idle
        : Facts.Trigger;

    public CompactionFacts Facts { get; set; } = CompactionFacts.None;

    public long? ContextWindow { get; set; }

    /// <summary>What its summary no longer names, once the transcript's summary line was read.</summary>
    public FlattenedSpecifics? Flattened { get; set; }

    /// <summary>When the wire said it ended; null while it may still be running.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The record last handed out, null until it is first recorded.</summary>
    public CompactionRecord? Recorded { get; set; }

    public CompactionRecord ToRecord() => new()
    {
        Id = Id,
        SessionId = SessionId,
        Trigger = Trigger,
        PreTokens = Facts.PreTokens,
        PostTokens = Facts.PostTokens,
        DurationMs = Facts.DurationMs,
        ContextWindow = ContextWindow,
        At = At,
        Source = Source,
        BoundaryUuid = BoundaryUuid,
        Flattened = Flattened,
    };
}
