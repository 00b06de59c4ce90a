using AcpHost.Events;
using AcpHost.Storage.Ledgers;

namespace AcpHost.State;

/// <summary>
/// A session's story as the host can tell it to the user: its family (the session ledger of every host sharing the data
/// directory, with this host's live sessions folded over it, since the ledger is written a moment after) and its
/// compactions (the compaction ledger). Read from disk on each call, off the relay's path: the ledgers stay small
/// (the session ledger is folded; a compaction is a line), and a story told must include other hosts' entries.
/// </summary>
/// <param name="sessions">This host's live sessions.</param>
/// <param name="sessionLedger">The lineage of every session.</param>
/// <param name="compactionLedger">Every compaction.</param>
internal sealed class SessionHistory(SessionRegistry sessions, SessionLedger sessionLedger, CompactionLedger compactionLedger)
{
    /// <summary>Every session known, by id: the ledger's records with this host's live view of each folded in.</summary>
    public IReadOnlyDictionary<string, SessionRecord> Sessions()
    {
        var all = new Dictionary<string, SessionRecord>(StringComparer.Ordinal);
        foreach (SessionRecord record in ReadOrEmpty(sessionLedger.ReadAll))
        {
            all[record.SessionId] = record;
        }

        foreach (SessionInfo live in sessions.All)
        {
            SessionRecord current = live.ToRecord();
            all[live.SessionId] = all.TryGetValue(live.SessionId, out SessionRecord? known) ? known.Enrich(current) : current;
        }

        return all;
    }

    /// <summary>Every compaction recorded, oldest first.</summary>
    public IReadOnlyList<CompactionRecord> Compactions() => ReadOrEmpty(compactionLedger.ReadAll);

    /// <summary>The compactions of <paramref name="sessionId"/>, oldest first.</summary>
    public IReadOnlyList<CompactionRecord> CompactionsOf(string sessionId) => [.. Compactions().Where(record => record.SessionId == sessionId)];

    /// <summary>The forks made of <paramref name="sessionId"/>, oldest first.</summary>
    public static IReadOnlyList<SessionRecord> ForksOf(IReadOnlyDictionary<string, SessionRecord> sessions, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return [.. sessions.Values.Where(s => s.ParentSessionId == sessionId).OrderBy(s => s.CreatedAt ?? DateTimeOffset.MaxValue)];
    }

    /// <summary>
    /// The fork that holds what <paramref name="compaction"/> flattened: the latest fork of its session taken before it
    /// and after the compaction before it (an older fork holds the summary that one left). Null when there is none.
    /// </summary>
    public static SessionRecord? ForkBefore(IReadOnlyDictionary<string, SessionRecord> sessions, IReadOnlyList<CompactionRecord> compactions, CompactionRecord compaction)
    {
        ArgumentNullException.ThrowIfNull(compactions);
        ArgumentNullException.ThrowIfNull(compaction);
        DateTimeOffset? previous = compactions.Where(c => c.At < compaction.At).Select(c => (DateTimeOffset?)c.At).Max();
        return ForksOf(sessions, compaction.SessionId)
            .LastOrDefault(fork => fork.CreatedAt is { } at && at <= compaction.At && (previous is null || at > previous));
    }

    /// <summary>A ledger's records, or none when it cannot be read: the story is then told from what the host holds.</summary>
    private static IReadOnlyList<T> ReadOrEmpty<T>(Func<IReadOnlyList<T>> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
