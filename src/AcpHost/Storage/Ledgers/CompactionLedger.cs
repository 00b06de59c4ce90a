using AcpHost.Events;


namespace AcpHost.Storage.Ledgers;

/// <summary>
/// The durable record of every compaction: <c>&lt;data-dir&gt;/ledger/compactions.jsonl</c>, one
/// <see cref="CompactionRecord"/> per line. A compaction learned of again with more facts is appended again under the
/// same <see cref="CompactionRecord.Id"/>; reading folds those lines with <see cref="CompactionRecord.Enrich"/> and
/// orders the records by time, then id. The file mechanics (locking, fsync, torn lines) are
/// <see cref="JsonLinesLedger{T}"/>'s.
/// </summary>
public sealed class CompactionLedger
{
    private static readonly LedgerSchema<CompactionRecord> Schema = new()
    {
        TypeInfo = LedgerJsonContext.Default.CompactionRecord,
        IdOf = static record => record.Id,
        IsComplete = static record => record.SessionId.Length > 0,
        Merge = static (earlier, later) => earlier.Enrich(later),
        Order = static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id),
    };

    private readonly JsonLinesLedger<CompactionRecord> _store;

    /// <summary>A ledger in <paramref name="dataDir"/>; nothing is created until the first append.</summary>
    public CompactionLedger(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        _store = new JsonLinesLedger<CompactionRecord>(Path.Combine(dataDir, "ledger", "compactions.jsonl"), Schema);
    }

    /// <summary>The ledger file.</summary>
    public string FilePath => _store.FilePath;

    /// <inheritdoc cref="JsonLinesLedger{T}.AppendAsync(T, CancellationToken)"/>
    public Task AppendAsync(CompactionRecord record, CancellationToken cancellationToken) => _store.AppendAsync(record, cancellationToken);

    /// <inheritdoc cref="JsonLinesLedger{T}.AppendAsync(IReadOnlyList{T}, CancellationToken)"/>
    public Task AppendAsync(IReadOnlyList<CompactionRecord> records, CancellationToken cancellationToken) => _store.AppendAsync(records, cancellationToken);

    /// <summary>Every compaction in this ledger; see <see cref="Read(string)"/>.</summary>
    public IReadOnlyList<CompactionRecord> ReadAll() => _store.Read().Records;

    /// <summary>
    /// Reads the compaction ledger at <paramref name="path"/>, streaming, while other processes may be appending to it.
    /// Unreadable lines are skipped and counted; a missing file reads as empty.
    /// </summary>
    public static LedgerReadResult<CompactionRecord> Read(string path) => new JsonLinesLedger<CompactionRecord>(path, Schema).Read();
}
