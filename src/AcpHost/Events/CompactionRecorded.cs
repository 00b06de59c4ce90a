namespace AcpHost.Events;

/// <summary>
/// A compaction the ledger recorded (<see cref="IsUpdate"/> false), or later counts for one already recorded (true:
/// the transcript's boundary gave <c>postTokens</c>, the duration or the uuid after the wire's notice came, or the
/// summary line what it no longer names). It carries
/// the ledger's record itself, so a field added to the record reaches every subscriber without a copy to keep in step.
/// </summary>
internal sealed record CompactionRecorded : HostEvent
{
    /// <summary>The record as the ledger holds it now (with every count known so far).</summary>
    public required CompactionRecord Record { get; init; }

    /// <summary>True when this carries later counts for a compaction already published.</summary>
    public bool IsUpdate { get; init; }

    /// <summary>The event for <paramref name="record"/>, dated when the host first learned of the compaction.</summary>
    public static CompactionRecorded Of(CompactionRecord record, bool isUpdate)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new() { Record = record, IsUpdate = isUpdate, At = record.At };
    }
}
