using AcpHost.Events;
using AcpHost.State;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Turns signals into records: one compaction, however many signals report it, becomes exactly one record, recorded
/// as soon as its <c>preTokens</c> is known and enriched as later signals add facts.
/// </summary>
/// <remarks>
/// Correlation, per session, in this order: the wire's own ids (tool call id, compaction id) tie live signals
/// together; the transcript's boundary uuid identifies a boundary once seen; a boundary joins the compaction with the
/// same <c>preTokens</c>, else the oldest one still waiting for counts (the <c>compaction_update</c> path, whose wire
/// carries none); a live signal can also join a compaction that the transcript reported first, if it has the same
/// <c>preTokens</c> or came within <see cref="JoinWindow"/>. A compaction that ended on the wire without counts waits
/// up to the transcript wait, then is recorded with what is known. Thread-safe: every call holds one lock and does
/// no I/O.
/// <para>
/// Triggers: <c>idle</c> beats <c>manual</c> whichever comes first (<see cref="CompactionTriggers.Merge"/>), so the
/// transcript's <c>manual</c> for an idle compaction joins the wire's <c>idle</c> record and never replaces it. Where the
/// wire names no trigger (<c>compaction_update</c>), a compaction whose first signal came outside any turn
/// (<paramref name="turns"/>) and that the transcript calls <c>manual</c> is recorded as <c>idle</c>.
/// </para>
/// </remarks>
/// <param name="time">The clock.</param>
/// <param name="transcriptWait">How long a compaction that ended without counts waits for its transcript line.</param>
/// <param name="turns">Which sessions are in a turn; without it no compaction is taken for idle unless the wire says so.</param>
internal sealed class CompactionTracker(TimeProvider time, TimeSpan transcriptWait, SessionTurns? turns = null)
{
    /// <summary>How far apart a live signal and a transcript boundary may be to count as the same compaction.</summary>
    public static readonly TimeSpan JoinWindow = TimeSpan.FromSeconds(60);

    private const int KeptPerSession = 32;

    private readonly Dictionary<string, List<TrackedCompaction>> _sessions = new(StringComparer.Ordinal);
    private readonly UnclaimedFlattened _unclaimed = new();
    private readonly Lock _lock = new();

    /// <summary>A live signal; <paramref name="contextWindow"/> is the session's latest known window.</summary>
    public IReadOnlyList<TrackerAction> Observe(CompactionSignal signal, long? contextWindow)
    {
        ArgumentNullException.ThrowIfNull(signal);
        lock (_lock)
        {
            DateTimeOffset now = time.GetUtcNow();
            List<TrackedCompaction> entries = EntriesOf(signal.SessionId);
            TrackedCompaction entry = FindForSignal(entries, signal, now) ?? Add(entries, signal.SessionId, signal.Source, now);
            if (signal.Key is not null)
            {
                entry.Keys.Add(signal.Key);
            }

            if (!entry.SeenOnWire)
            {
                // Its first live signal: did it begin inside a turn? (Asked once: it also consumes an awaited /compact.)
                entry.BeganOutsideTurn = turns?.BeganOutsideTurn(signal.SessionId) ?? false;
            }

            entry.SeenOnWire = true;
            entry.TriggerFromWire |= signal.Facts.Trigger is not null;
            entry.Facts = signal.Facts.Or(entry.Facts);
            entry.ContextWindow ??= contextWindow;
            if (signal.Phase is SignalPhase.Completed or SignalPhase.Failed)
            {
                entry.CompletedAt ??= now;
            }

            return Settle(entry, now);
        }
    }

    /// <summary>
    /// A compaction the wire says failed: when nothing shows it flattened anything (no boundary in the transcript, no
    /// counts, not recorded), it is forgotten and true is returned, with its id if it was tracked (a notice may have been
    /// expected for it); false when it is known to have happened after all, or carries no key to know it by, so the signal
    /// is observed as an ending.
    /// </summary>
    public bool Abandon(CompactionSignal signal, out string? abandonedId)
    {
        ArgumentNullException.ThrowIfNull(signal);
        abandonedId = null;
        if (signal.Key is null)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_sessions.TryGetValue(signal.SessionId, out List<TrackedCompaction>? entries)
                || entries.FirstOrDefault(e => e.Keys.Contains(signal.Key)) is not { } entry)
            {
                // Only its failure was reported (its start was missed): there is nothing to forget.
                return true;
            }

            if (entry.Recorded is not null || entry.BoundaryUuid is not null || entry.Facts.PreTokens is not null)
            {
                return false;
            }

            entries.Remove(entry);
            abandonedId = entry.Id;
            return true;
        }
    }

    /// <summary>A <c>compact_boundary</c> line from the session's transcript.</summary>
    public IReadOnlyList<TrackerAction> Observe(string sessionId, TranscriptBoundary boundary, long? contextWindow)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        lock (_lock)
        {
            DateTimeOffset now = time.GetUtcNow();
            List<TrackedCompaction> entries = EntriesOf(sessionId);
            if (boundary.Uuid is not null && entries.Any(e => e.BoundaryUuid == boundary.Uuid))
            {
                return [];
            }

            TrackedCompaction entry = FindForBoundary(entries, boundary) ?? Add(entries, sessionId, CompactionSources.Transcript, now);
            entry.BoundaryUuid ??= boundary.Uuid;
            entry.Facts = entry.Facts.Or(boundary.Facts);
            entry.Flattened ??= _unclaimed.Claim(sessionId, entry.BoundaryUuid);
            entry.ContextWindow ??= contextWindow;
            return Settle(entry, now);
        }
    }

    /// <summary>
    /// What the summary of a compaction no longer names (<see cref="FlattenedWatch"/>): joined to the compaction with
    /// the same boundary uuid, else to one not tied to a boundary yet with the same <c>preTokens</c>; kept for a boundary
    /// not tracked yet. A record already written gets it as an update.
    /// </summary>
    public IReadOnlyList<TrackerAction> ObserveFlattened(string sessionId, TranscriptBoundary boundary, FlattenedSpecifics flattened)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        lock (_lock)
        {
            List<TrackedCompaction> entries = EntriesOf(sessionId);
            TrackedCompaction? entry = entries.FirstOrDefault(e => e.BoundaryUuid is not null && e.BoundaryUuid == boundary.Uuid)
                ?? (boundary.Facts.PreTokens is { } pre ? entries.LastOrDefault(e => e.BoundaryUuid is null && e.Flattened is null && e.Facts.PreTokens == pre) : null);
            if (entry is null)
            {
                _unclaimed.Keep(sessionId, boundary, flattened);
                return [];
            }

            entry.Flattened ??= flattened;
            return Settle(entry, time.GetUtcNow());
        }
    }

    /// <summary>Records the compactions that ended without counts and waited for the transcript in vain.</summary>
    public IReadOnlyList<TrackerAction> Expire()
    {
        lock (_lock)
        {
            DateTimeOffset now = time.GetUtcNow();
            var actions = new List<TrackerAction>();
            foreach (TrackedCompaction entry in _sessions.Values.SelectMany(entries => entries))
            {
                actions.AddRange(Settle(entry, now));
            }

            return actions;
        }
    }

    /// <summary>Records every compaction that ended but is still waiting, now: for shutdown.</summary>
    public IReadOnlyList<TrackerAction> Flush()
    {
        lock (_lock)
        {
            var actions = new List<TrackerAction>();
            foreach (TrackedCompaction entry in _sessions.Values.SelectMany(entries => entries).Where(e => e.Recorded is null && e.CompletedAt is not null))
            {
                actions.AddRange(Settle(entry, DateTimeOffset.MaxValue));
            }

            return actions;
        }
    }

    /// <summary>Sessions with a compaction that ended on the wire and still waits for its counts.</summary>
    public IReadOnlyList<string> SessionsAwaitingTranscript()
    {
        lock (_lock)
        {
            return [.. _sessions.Where(pair => pair.Value.Any(AwaitsTranscript)).Select(pair => pair.Key)];
        }
    }

    /// <summary>Whether any compaction ended on the wire and still waits for its counts (what keeps the poll running).</summary>
    public bool AnyAwaitingTranscript()
    {
        lock (_lock)
        {
            return _sessions.Values.Any(entries => entries.Any(AwaitsTranscript));
        }
    }

    // Ended on the wire, not recorded yet, and without its counts: the transcript may still bring them.
    private static bool AwaitsTranscript(TrackedCompaction entry) =>
        entry.Recorded is null && entry.Facts.PreTokens is null && entry.CompletedAt is not null;

    /// <summary>What is known of the compaction the wire calls <paramref name="key"/>, once its <c>preTokens</c> is.</summary>
    public CompactionRecord? KnownFacts(string sessionId, string key)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(sessionId, out List<TrackedCompaction>? entries)
                && entries.FirstOrDefault(e => e.Keys.Contains(key)) is { Facts.PreTokens: not null } entry
                    ? entry.ToRecord()
                    : null;
        }
    }

    /// <summary>
    /// The id of the compaction the wire calls <paramref name="key"/> while it is not recorded yet; null once it is
    /// (or when no such compaction is tracked).
    /// </summary>
    public string? UnrecordedId(string sessionId, string key)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(sessionId, out List<TrackedCompaction>? entries)
                && entries.FirstOrDefault(e => e.Keys.Contains(key)) is { Recorded: null } entry
                    ? entry.Id
                    : null;
        }
    }

    private static TrackedCompaction? FindForSignal(List<TrackedCompaction> entries, CompactionSignal signal, DateTimeOffset now)
    {
        if (signal.Key is not null && entries.FirstOrDefault(e => e.Keys.Contains(signal.Key)) is { } byKey)
        {
            return byKey;
        }

        bool Recent(TrackedCompaction e) => now - e.At <= JoinWindow;
        if (signal.Facts.PreTokens is { } pre
            && entries.LastOrDefault(e => e.Facts.PreTokens == pre && (!e.SeenOnWire || (signal.Key is null && Recent(e)))) is { } sameCount)
        {
            return sameCount;
        }

        // The transcript was read before the wire spoke: join the boundary it reported.
        if (entries.LastOrDefault(e => !e.SeenOnWire && Recent(e) && Compatible(e.Facts, signal.Facts)) is { } transcriptFirst)
        {
            return transcriptFirst;
        }

        // A keyless signal (a patched agent's compact_boundary) joins a compaction the wire has open and uncounted.
        return signal.Key is null ? entries.LastOrDefault(e => e.Recorded is null && e.Facts.PreTokens is null && Recent(e)) : null;
    }

    private static TrackedCompaction? FindForBoundary(List<TrackedCompaction> entries, TranscriptBoundary boundary)
    {
        IEnumerable<TrackedCompaction> open = entries.Where(e => e.BoundaryUuid is null);
        return (boundary.Facts.PreTokens is { } pre ? open.FirstOrDefault(e => e.Facts.PreTokens == pre && Compatible(e.Facts, boundary.Facts)) : null)
            ?? open.FirstOrDefault(e => e.Facts.PreTokens is null && e.SeenOnWire);
    }

    private static bool Compatible(CompactionFacts a, CompactionFacts b) =>
        CompactionTriggers.Compatible(a.Trigger, b.Trigger)
        && (a.PreTokens is null || b.PreTokens is null || a.PreTokens == b.PreTokens);

    private IReadOnlyList<TrackerAction> Settle(TrackedCompaction entry, DateTimeOffset now)
    {
        if (entry.Recorded is null)
        {
            bool counted = entry.Facts.PreTokens is not null;
            bool waitedEnough = entry.CompletedAt is { } completed && now - completed >= transcriptWait;
            if (!counted && !waitedEnough)
            {
                return [];
            }

            entry.Recorded = entry.ToRecord();
            return [new TrackerAction(IsNew: true, entry.Recorded)];
        }

        CompactionRecord current = entry.ToRecord();
        if (current == entry.Recorded)
        {
            return [];
        }

        entry.Recorded = current;
        return [new TrackerAction(IsNew: false, current)];
    }

    private List<TrackedCompaction> EntriesOf(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out List<TrackedCompaction>? entries))
        {
            _sessions[sessionId] = entries = [];
        }

        return entries;
    }

    private static TrackedCompaction Add(List<TrackedCompaction> entries, string sessionId, string source, DateTimeOffset now)
    {
        var entry = new TrackedCompaction("cmp-" + Guid.CreateVersion7(now).ToString("N"), sessionId, source, now);
        entries.Add(entry);
        if (entries.Count > KeptPerSession)
        {
            // Old, settled compactions are not going to hear from any signal again.
            int settled = entries.FindIndex(e => e.Recorded is not null);
            entries.RemoveAt(settled >= 0 ? settled : 0);
        }

        return entry;
    }
}
