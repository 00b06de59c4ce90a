using System.Text.Json.Serialization.Metadata;

namespace AcpHost.Storage.Ledgers;

/// <summary>
/// What one kind of ledger holds and how its lines fold into records: everything <see cref="JsonLinesLedger{T}"/>
/// needs to know about <typeparamref name="T"/>. One static instance per ledger kind, shared by its writers and readers.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class LedgerSchema<T>
    where T : class
{
    /// <summary>
    /// The line format, source-generated. It must not indent (a record is one line); with nullable annotations
    /// respected, a line missing a required member or with null where none is allowed counts as unreadable.
    /// </summary>
    public required JsonTypeInfo<T> TypeInfo { get; init; }

    /// <summary>A record's identity: lines with the same id are about the same thing. An empty id makes a line unreadable.</summary>
    public required Func<T, string> IdOf { get; init; }

    /// <summary>Folds a later line about an id into what the earlier lines said; applied in file order.</summary>
    public required Func<T, T, T> Merge { get; init; }

    /// <summary>The order of the folded records.</summary>
    public required Comparison<T> Order { get; init; }

    /// <summary>Whatever else a line needs to count as a record (besides a non-empty id); every line by default.</summary>
    public Func<T, bool> IsComplete { get; init; } = static _ => true;

    /// <summary>
    /// For a ledger whose ids get many lines over time (a session's changing fill): once the file passes this many
    /// bytes, and at least twice what its folded records take, a writer rewrites it folded, one line per id. Null
    /// (the default): the file is only ever appended to.
    /// </summary>
    public long? CompactAboveBytes { get; init; }

    /// <summary>Whether <paramref name="record"/> can be a ledger line.</summary>
    internal bool Accepts(T record) => IdOf(record) is { Length: > 0 } && IsComplete(record);
}
