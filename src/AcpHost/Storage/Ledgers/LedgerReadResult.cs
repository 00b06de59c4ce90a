namespace AcpHost.Storage.Ledgers;

/// <summary>What reading a ledger found.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Records">One record per id, every line about it folded in, in the ledger's order.</param>
/// <param name="SkippedLines">
/// Lines that could not be read: torn by a host killed mid-write, not JSON, not a record, or absurdly long.
/// Blank lines are not counted.
/// </param>
public sealed record LedgerReadResult<T>(IReadOnlyList<T> Records, int SkippedLines)
{
    /// <summary>An empty ledger (what a missing file reads as).</summary>
    internal static LedgerReadResult<T> Empty { get; } = new([], 0);
}
