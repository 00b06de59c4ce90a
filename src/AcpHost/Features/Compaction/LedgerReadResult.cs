namespace AcpHost.Features.Compaction;

/// <summary>What reading the compaction ledger found.</summary>
/// <param name="Records">One record per compaction id, every line about it folded in, ordered by time, then id.</param>
/// <param name="SkippedLines">
/// Lines that could not be read: torn by a host killed mid-write, not JSON, not a record, or absurdly long.
/// Blank lines are not counted.
/// </param>
public sealed record LedgerReadResult(IReadOnlyList<CompactionRecord> Records, int SkippedLines)
{
    /// <summary>An empty ledger (what a missing file reads as).</summary>
    public static LedgerReadResult Empty { get; } = new([], 0);
}
