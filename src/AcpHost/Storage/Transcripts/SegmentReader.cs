using AcpHost.Events;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Follows a transcript line by line and, for every compaction in it, tells what the summary no longer names of the
/// segment it replaced (the lines since the boundary before, or since the start). A segment is kept as counts and capped
/// sets (<see cref="SpecificTally"/>), never as lines, so memory stays bounded whatever its size. After a boundary the
/// reader waits for the summary line (<c>isCompactSummary</c>) and the files the agent re-attaches after it; the
/// compaction is finished at the model's next answer, the next boundary, or when the caller says no more lines are
/// coming for now (<see cref="Finish"/>), and handed to the callback. A boundary whose summary line never came is
/// dropped: without the summary nothing can be said. Lines are fed in order, each once; not thread-safe.
/// </summary>
internal sealed class SegmentReader
{
    private const int MaxRecentToolUses = 256;
    private const int MaxPendingErrors = 64;
    private const int MaxReattached = 64;

    private readonly string? _transcript;
    private readonly Action<TranscriptBoundary, FlattenedSpecifics> _finished;
    private readonly Dictionary<string, Call> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private readonly List<Call> _pendingErrors = [];
    private readonly SegmentLine _line = new();
    private SegmentTallies _open = new();
    private long _openFrom = 1;
    private Closing? _closing;

    /// <param name="transcript">The transcript's path, recorded as where the replaced turns are.</param>
    /// <param name="finished">Called with each compaction's boundary and what its summary no longer names.</param>
    public SegmentReader(string? transcript, Action<TranscriptBoundary, FlattenedSpecifics> finished)
    {
        _transcript = transcript;
        _finished = finished;
    }

    /// <summary>A boundary was read and its summary line was not yet.</summary>
    public bool AwaitsSummary => _closing is { Summary: null };

    /// <summary>A boundary's summary was read; the compaction waits only for the end of what the agent wrote with it.</summary>
    public bool HasSummary => _closing is { Summary: not null };

    /// <summary>
    /// Where the caller's own reading of an answer puts its tool calls (<see cref="TranscriptUsageParser"/>'s overload
    /// with calls): the callers read every answer for its usage anyway, so the segment analysis costs no second parse.
    /// </summary>
    public SegmentLine Calls => _line;

    /// <summary>
    /// The line just read into <see cref="Calls"/> is an answer of the model in the session's own conversation (not a
    /// subagent's): its tool calls count, the failed results before it were acted on, and whatever the agent wrote with a
    /// summary is all there.
    /// </summary>
    public void Answer()
    {
        Finish();
        PromoteErrors();
        AddToolUses(_line);
    }

    /// <summary>A line that is neither a boundary nor an answer (<see cref="Answer"/>).</summary>
    public void Take(ReadOnlySpan<byte> line)
    {
        if (_closing is { } closing)
        {
            TakeAfterBoundary(line, closing);
        }

        if (line.IndexOf("\"is_error\""u8) >= 0 && SegmentLineParser.Read(line, _line, wantText: false) && _line is { User: true, Sidechain: false })
        {
            foreach (string id in _line.ErrorIds)
            {
                if (_recent.TryGetValue(id, out Call? call) && _pendingErrors.Count < MaxPendingErrors)
                {
                    _pendingErrors.Add(call with { Uuid = _line.Uuid });
                }
            }
        }
    }

    /// <summary>A <c>compact_boundary</c> line: the segment before it closes, and a new one opens after it.</summary>
    public void Boundary(TranscriptBoundary boundary, long number)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        Finish();

        // A failed call the model never answered did not lead anywhere; tool ids do not cross a boundary.
        _pendingErrors.Clear();
        _recent.Clear();
        _recentOrder.Clear();
        _closing = new Closing(boundary, _open, _openFrom, number - 1);
        _open = new SegmentTallies();
        _openFrom = number + 1;
    }

    /// <summary>
    /// No more lines for now (the end of the file, or a pause in the agent's writing): a compaction whose summary was read
    /// is finished and handed on; one whose summary was not is dropped.
    /// </summary>
    public void Finish()
    {
        if (_closing is not { } closing)
        {
            return;
        }

        _closing = null;
        if (closing.Summary is { } summary)
        {
            (ReadOnlyMemory<char> text, bool marked) = SummaryText.Extract(summary);
            _finished(closing.Boundary, SegmentVerdict.Judge(closing.Tallies, text, marked, closing.Reattached, closing.Boundary.PreservedUuids, (_transcript, closing.From, closing.To)));
        }
    }

    private void TakeAfterBoundary(ReadOnlySpan<byte> line, Closing closing)
    {
        if (closing.Summary is null)
        {
            if (line.IndexOf("\"isCompactSummary\""u8) >= 0 && SegmentLineParser.Read(line, _line, wantText: true) && _line is { CompactSummary: true, Text: { } text })
            {
                closing.Summary = text;
            }
        }
        else if (line.IndexOf("\"attachment\""u8) >= 0 && closing.Reattached.Count < MaxReattached
            && SegmentLineParser.Read(line, _line, wantText: false) && _line is { Attachment: true, FileAttachment: true, AttachmentFile: { Length: > 0 } file })
        {
            closing.Reattached.Add(file);
        }
    }

    private void AddToolUses(SegmentLine answer)
    {
        foreach (ToolUse use in answer.ToolUses)
        {
            if (use.Id is { } id && use.Name is { } tool && _recent.TryAdd(id, new Call(tool, use.Target(), null)))
            {
                _recentOrder.Enqueue(id);
                if (_recentOrder.Count > MaxRecentToolUses)
                {
                    _recent.Remove(_recentOrder.Dequeue());
                }
            }

            use.AddTo(_open, answer.Uuid);
        }
    }

    private void PromoteErrors()
    {
        foreach (Call failed in _pendingErrors)
        {
            _open[SpecificKind.ToolError].Add(failed.Tool, failed.Uuid, failed.Target);
        }

        _pendingErrors.Clear();
    }

    /// <summary>A tool call remembered for its result: the tool, what it worked on, and (once failed) the result's line.</summary>
    private sealed record Call(string Tool, Specific? Target, string? Uuid);

    /// <summary>A boundary waiting for its summary: the segment it closed and what came after it.</summary>
    private sealed class Closing(TranscriptBoundary boundary, SegmentTallies tallies, long from, long to)
    {
        public TranscriptBoundary Boundary { get; } = boundary;

        public SegmentTallies Tallies { get; } = tallies;

        public long From { get; } = from;

        public long To { get; } = to;

        public string? Summary { get; set; }

        public HashSet<string> Reattached { get; } = new(StringComparer.Ordinal);
    }
}
