using AcpHost.Events;
using AcpHost.Storage.Ledgers;

namespace AcpHost.PostMortem;

/// <summary>
/// What AcpHost itself recorded in a data directory (its compaction and session ledgers), to set beside the
/// transcripts: which compactions a host saw, which it did not find in them, and the forks it made.
/// </summary>
internal sealed class HostLedgers
{
    private readonly HashSet<string> _boundaries;
    private readonly HashSet<(string SessionId, long PreTokens)> _counts;
    private readonly HashSet<string> _idleBoundaries;
    private readonly HashSet<(string SessionId, long PreTokens)> _idleCounts;

    private HostLedgers(string dataDir, IReadOnlyList<CompactionRecord> compactions, IReadOnlyList<SessionRecord> sessions, int skippedLines)
    {
        DataDir = dataDir;
        Compactions = compactions;
        Sessions = sessions;
        SkippedLines = skippedLines;
        _boundaries = [.. compactions.Where(c => c.BoundaryUuid is not null).Select(c => c.BoundaryUuid!)];
        _counts = [.. compactions.Where(c => c.PreTokens is not null).Select(c => (c.SessionId, c.PreTokens!.Value))];
        List<CompactionRecord> idle = [.. compactions.Where(c => c.Trigger == CompactionTriggers.Idle)];
        _idleBoundaries = [.. idle.Where(c => c.BoundaryUuid is not null).Select(c => c.BoundaryUuid!)];
        _idleCounts = [.. idle.Where(c => c.PreTokens is not null).Select(c => (c.SessionId, c.PreTokens!.Value))];
    }

    /// <summary>The data directory read.</summary>
    public string DataDir { get; }

    /// <summary>Every compaction in the ledger.</summary>
    public IReadOnlyList<CompactionRecord> Compactions { get; }

    /// <summary>Every session in the lineage ledger.</summary>
    public IReadOnlyList<SessionRecord> Sessions { get; }

    /// <summary>The sessions that are forks.</summary>
    public IEnumerable<SessionRecord> Forks => Sessions.Where(s => s.ParentSessionId is not null);

    /// <summary>Unreadable ledger lines, skipped.</summary>
    public int SkippedLines { get; }

    /// <summary>Reads both ledgers of <paramref name="dataDir"/>; missing ones read as empty.</summary>
    public static HostLedgers Load(string dataDir)
    {
        var compactions = CompactionLedger.Read(new CompactionLedger(dataDir).FilePath);
        var sessions = SessionLedger.Read(new SessionLedger(dataDir).FilePath);
        return new HostLedgers(dataDir, compactions.Records, sessions.Records, compactions.SkippedLines + sessions.SkippedLines);
    }

    /// <summary>True when a host recorded this compaction: the same boundary line, or the same session and count.</summary>
    public bool Recorded(CompactionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return (row.BoundaryUuid is not null && _boundaries.Contains(row.BoundaryUuid))
            || (row.PreTokens is { } pre && _counts.Contains((row.SessionId, pre)));
    }

    /// <summary>
    /// <paramref name="scan"/> with the triggers a host knew better: a transcript says <c>manual</c> for the agent's idle
    /// compaction, which a host that relayed it recorded as <c>idle</c>. Those rows and the per-project counts say idle.
    /// </summary>
    public ScanResult WithHostTriggers(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (_idleBoundaries.Count == 0 && _idleCounts.Count == 0)
        {
            return scan;
        }

        List<CompactionRow> rows = [.. scan.Rows.Select(row => row.Trigger == CompactionTriggers.Manual && RecordedIdle(row) ? row with { Trigger = CompactionTriggers.Idle } : row)];
        ILookup<string, CompactionRow> byProject = rows.ToLookup(row => row.Project, StringComparer.Ordinal);
        return scan with
        {
            Rows = rows,
            Summary = [.. scan.Summary.Select(s => s with
            {
                Manual = byProject[s.Project].Count(row => row.Trigger == CompactionTriggers.Manual),
                Idle = byProject[s.Project].Count(row => row.Trigger == CompactionTriggers.Idle),
            })],
        };
    }

    private bool RecordedIdle(CompactionRow row) =>
        (row.BoundaryUuid is not null && _idleBoundaries.Contains(row.BoundaryUuid))
        || (row.PreTokens is { } pre && _idleCounts.Contains((row.SessionId, pre)));

    /// <summary>The recorded compactions of which no transcript line was found among <paramref name="rows"/>.</summary>
    public IEnumerable<CompactionRecord> NotInTranscripts(IReadOnlyList<CompactionRow> rows)
    {
        var uuids = rows.Where(row => row.BoundaryUuid is not null).Select(row => row.BoundaryUuid!).ToHashSet(StringComparer.Ordinal);
        var counts = rows.Where(row => row.PreTokens is not null).Select(row => (row.SessionId, row.PreTokens!.Value)).ToHashSet();
        return Compactions.Where(c => !(c.BoundaryUuid is not null && uuids.Contains(c.BoundaryUuid))
            && !(c.PreTokens is { } pre && counts.Contains((c.SessionId, pre))));
    }
}
