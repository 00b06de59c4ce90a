using AcpHost.Events;

namespace AcpHost.Telemetry;

/// <summary>
/// Holds a compaction recorded before its counts were complete (the wire told of it; <c>postTokens</c> and the
/// duration come from the transcript moments later, as a <see cref="CompactionRecorded.IsUpdate"/> event) so that it is
/// exported once, whole, instead of twice. One compaction, one <c>acphost.compaction</c> record and one count, even when
/// the counts never come: then it leaves as it is after <see cref="MaxHold"/>.
/// </summary>
internal sealed class CompactionHold
{
    /// <summary>
    /// Longer than the compaction tracker waits for a transcript line (<c>Compaction:TranscriptWait</c>, 10 s by default) plus its
    /// poll: after that no update comes.
    /// </summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(15);

    // Ids already exported, so that a late update does not export the compaction again; bounded, oldest forgotten.
    private const int RememberedIds = 4096;

    private readonly Dictionary<string, (CompactionRecorded Compaction, DateTimeOffset Until)> _held = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);
    private readonly Queue<string> _sentOrder = new();

    /// <summary>The earliest time a held compaction is due, if any is held.</summary>
    public DateTimeOffset? NextDue => _held.Count == 0 ? null : _held.Values.Min(h => h.Until);

    /// <summary>Takes a compaction event; returns the compaction to export now, if one is complete.</summary>
    public CompactionRecorded? Take(CompactionRecorded compaction, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(compaction);
        if (_sent.Contains(compaction.Record.Id))
        {
            return null;
        }

        CompactionRecorded merged = _held.Remove(compaction.Record.Id, out var held) ? Merge(held.Compaction, compaction) : compaction;
        if (merged.Record.PostTokens is not null)
        {
            return Sent(merged);
        }

        _held[compaction.Record.Id] = (merged, held.Until == default ? now + MaxHold : held.Until);
        return null;
    }

    /// <summary>The held compactions whose time is up (all of them with <paramref name="all"/>, at shutdown).</summary>
    public List<CompactionRecorded> Due(DateTimeOffset now, bool all = false)
    {
        var due = new List<CompactionRecorded>();
        foreach ((string id, var held) in _held.ToList())
        {
            if (all || held.Until <= now)
            {
                _held.Remove(id);
                due.Add(Sent(held.Compaction));
            }
        }

        return due;
    }

    private CompactionRecorded Sent(CompactionRecorded compaction)
    {
        _sent.Add(compaction.Record.Id);
        _sentOrder.Enqueue(compaction.Record.Id);
        if (_sentOrder.Count > RememberedIds)
        {
            _sent.Remove(_sentOrder.Dequeue());
        }

        return compaction;
    }

    // The first record's time and source stand (when it happened, who saw it first); later counts fill what it lacked.
    private static CompactionRecorded Merge(CompactionRecorded first, CompactionRecorded later) =>
        first with { Record = first.Record.Enrich(later.Record), IsUpdate = false };
}
