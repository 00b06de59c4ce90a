using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Features.Compaction;

/// <summary>
/// One session's transcript as <see cref="FlattenedWatch"/> follows it: its lines from the start, through a
/// <see cref="SegmentReader"/>, and the compactions found since the session was first seen (those before are history:
/// the host did not relay them). Read by the watch's loop only; <see cref="Find"/> may be called from any thread.
/// </summary>
internal sealed class FollowedTranscript
{
    private const int KeptResults = 8;

    private readonly Func<string?> _locate;
    private readonly TranscriptLines _lines;
    private readonly long _historyEnd;
    private readonly Action<TranscriptBoundary, FlattenedSpecifics> _found;
    private readonly List<(TranscriptBoundary Boundary, FlattenedSpecifics Flattened)> _results = [];
    private SegmentReader _reader;
    private LineStrings _strings;
    private bool _closingIsHistory;
    private DateTimeOffset _closingSince;

    /// <param name="locate">Finds the transcript; null while it does not exist.</param>
    /// <param name="found">Told each compaction found after the session was first seen, with what its summary no longer names.</param>
    public FollowedTranscript(Func<string?> locate, Action<TranscriptBoundary, FlattenedSpecifics> found)
    {
        _locate = locate;
        _lines = new TranscriptLines(locate);
        _found = found;
        _reader = NewReader();
        _historyEnd = locate() is { } path && File.Exists(path) ? new FileInfo(path).Length : 0;
    }

    /// <summary>Until when a compaction the wire reported is looked for, even while the transcript shows none yet.</summary>
    public DateTimeOffset? ExpectedUntil { get; set; }

    /// <summary>Whether the transcript exists (looked up again while it was not found).</summary>
    public bool Exists => (_lines.FilePath ?? _locate()) is { } path && File.Exists(path);

    /// <summary>
    /// Reads what the agent appended. A compaction whose summary was read is finished once a read finds nothing more
    /// (the agent writes the re-attached files with the summary); one whose summary has not come within
    /// <paramref name="summaryWait"/> is given up. True while something is still awaited: poll again; false at once while
    /// the transcript does not exist.
    /// </summary>
    public bool CatchUp(DateTimeOffset now, TimeSpan summaryWait)
    {
        if (!Exists)
        {
            // Nothing to poll: the session's next turn end looks again (a compaction always follows a turn written there).
            ExpectedUntil = null;
            return false;
        }

        int lines = _lines.ReadNew((line, number, offset) => Take(line, number, offset, now), () => _reader = NewReader());
        if ((_reader.HasSummary && lines == 0) || (_reader.AwaitsSummary && now - _closingSince > summaryWait))
        {
            _reader.Finish();
        }

        if (ExpectedUntil <= now)
        {
            ExpectedUntil = null;
        }

        return _reader.AwaitsSummary || _reader.HasSummary || ExpectedUntil is not null;
    }

    /// <summary>
    /// What the summary of a compaction found since the session was first seen no longer names: by its boundary's uuid
    /// when known, else by its <c>preTokens</c>; null when none matches (yet).
    /// </summary>
    public FlattenedSpecifics? Find(string? boundaryUuid, long? preTokens)
    {
        lock (_results)
        {
            for (int i = _results.Count - 1; i >= 0; i--)
            {
                TranscriptBoundary boundary = _results[i].Boundary;
                if (boundaryUuid is not null ? boundary.Uuid == boundaryUuid : preTokens is not null && boundary.Facts.PreTokens == preTokens)
                {
                    return _results[i].Flattened;
                }
            }

            return null;
        }
    }

    private void Take(ReadOnlySpan<byte> line, long number, long offset, DateTimeOffset now)
    {
        if (TranscriptBoundaryParser.MayBeBoundary(line) && TranscriptBoundaryParser.TryParse(line) is { } boundary)
        {
            // Told before it is marked: the boundary before it may finish here, as what it was.
            _reader.Boundary(boundary, number);
            _closingIsHistory = offset < _historyEnd || boundary.ForkedFrom is not null;
            _closingSince = now;
            return;
        }

        if (IsAnswer(line))
        {
            _reader.Answer();
        }
        else
        {
            _reader.Take(line);
        }
    }

    // A model's answer in the session's own conversation, as the usage parser reads it (the scan asks the same); its
    // tool calls are read into the reader's line in the same pass.
    private bool IsAnswer(ReadOnlySpan<byte> line)
    {
        try
        {
            return TranscriptUsageParser.MayHaveUsage(line) && TranscriptUsageParser.TryParse(line, ref _strings, out ModelRequest request, _reader.Calls) && !request.Sidechain;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private SegmentReader NewReader() => new(_lines.FilePath ?? _locate(), Finished);

    private void Finished(TranscriptBoundary boundary, FlattenedSpecifics flattened)
    {
        if (_closingIsHistory)
        {
            return;
        }

        // The reader may have been made before the transcript existed: name the file now that it was read.
        flattened = flattened.Transcript is null ? flattened with { Transcript = _lines.FilePath ?? _locate() } : flattened;
        lock (_results)
        {
            _results.Add((boundary, flattened));
            if (_results.Count > KeptResults)
            {
                _results.RemoveAt(0);
            }
        }

        ExpectedUntil = null;
        _found(boundary, flattened);
    }
}
