using AcpHost.Events;


namespace AcpHost.Storage.Ledgers;

/// <summary>
/// The lineage of every session the hosts relayed: <c>&lt;data-dir&gt;/ledger/sessions.jsonl</c>, one
/// <see cref="SessionRecord"/> per line. A session is appended when it is opened and again as facts change (its
/// context fill, say); reading folds the lines about one <see cref="SessionRecord.SessionId"/> with
/// <see cref="SessionRecord.Enrich"/> and orders the sessions by creation time (unknown last), then id. A writer
/// folds the file back to one line per session as fill lines pile up (<see cref="CompactAboveBytes"/>), so it stays
/// small over months of use. The file mechanics (locking, fsync, torn lines) are <see cref="JsonLinesLedger{T}"/>'s.
/// </summary>
internal sealed class SessionLedger
{
    private static readonly LedgerSchema<SessionRecord> Schema = new()
    {
        TypeInfo = LedgerJsonContext.Default.SessionRecord,
        IdOf = static record => record.SessionId,
        Merge = static (earlier, later) => earlier.Enrich(later),
        CompactAboveBytes = CompactAboveBytes,
        Order = static (a, b) => (a.CreatedAt, b.CreatedAt) switch
        {
            ({ } x, { } y) when x != y => x.CompareTo(y),
            ({ }, null) => -1,
            (null, { }) => 1,
            _ => string.CompareOrdinal(a.SessionId, b.SessionId),
        },
    };

    /// <summary>
    /// When the file is folded to one line per session (see <see cref="LedgerSchema{T}.CompactAboveBytes"/>): a fill
    /// line is about 250 bytes, so this is some thousands of fill updates; a year of a busy user's sessions folded is
    /// a few MB, which reads in well under a second.
    /// </summary>
    public const long CompactAboveBytes = 1024 * 1024;

    private readonly JsonLinesLedger<SessionRecord> _store;

    /// <summary>A ledger in <paramref name="dataDir"/>; nothing is created until the first append.</summary>
    public SessionLedger(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        _store = new JsonLinesLedger<SessionRecord>(Path.Combine(dataDir, "ledger", "sessions.jsonl"), Schema);
    }

    /// <summary>The ledger file.</summary>
    public string FilePath => _store.FilePath;

    /// <inheritdoc cref="JsonLinesLedger{T}.AppendAsync(T, CancellationToken)"/>
    public Task AppendAsync(SessionRecord record, CancellationToken cancellationToken) => _store.AppendAsync(record, cancellationToken);

    /// <inheritdoc cref="JsonLinesLedger{T}.AppendAsync(IReadOnlyList{T}, CancellationToken)"/>
    public Task AppendAsync(IReadOnlyList<SessionRecord> records, CancellationToken cancellationToken) => _store.AppendAsync(records, cancellationToken);

    /// <summary>Every session in this ledger; see <see cref="Read(string)"/>.</summary>
    public IReadOnlyList<SessionRecord> ReadAll() => _store.Read().Records;

    /// <summary>
    /// Reads the session ledger at <paramref name="path"/>, streaming, while other processes may be appending to it.
    /// Unreadable lines are skipped and counted; a missing file reads as empty.
    /// </summary>
    public static LedgerReadResult<SessionRecord> Read(string path) => new JsonLinesLedger<SessionRecord>(path, Schema).Read();
}
