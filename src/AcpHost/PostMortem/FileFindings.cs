using AcpHost.Events;
using AcpHost.Storage.Transcripts;
using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>What one transcript held: filled by one thread, read once every file is done.</summary>
internal sealed class FileFindings
{
    private readonly ScanOptions _options;
    private SessionUsage? _last;

    public FileFindings(string path, string root, ScanOptions options)
    {
        Path = path;
        Root = root;
        _options = options;
        Segments = new SegmentReader(path, Flattened);
    }

    /// <summary>The transcript.</summary>
    public string Path { get; }

    /// <summary>The folder it was found under.</summary>
    public string Root { get; }

    public long Bytes { get; set; }

    public long MalformedLines { get; set; }

    /// <summary>Why the file could not be read; null when it was.</summary>
    public string? Error { get; set; }

    public List<TranscriptBoundary> Boundaries { get; } = [];

    /// <summary>What each compaction's summary no longer names, read in the same pass; it fills in <see cref="Boundaries"/>.</summary>
    public SegmentReader Segments { get; }

    /// <summary>The usage of each session its lines name (a subagent's file names its parent's session).</summary>
    public Dictionary<string, SessionUsage> Usage { get; } = new(StringComparer.Ordinal);

    /// <summary>The first working directory a parsed line recorded.</summary>
    public string? FirstCwd { get; set; }

    /// <summary>The first session id a parsed line named.</summary>
    public string? FirstSessionId { get; set; }

    // A compaction is finished a few lines after its boundary (after the summary): it is one of the last ones found.
    private void Flattened(TranscriptBoundary boundary, FlattenedSpecifics flattened)
    {
        int at = Boundaries.FindLastIndex(b => ReferenceEquals(b, boundary));
        if (at >= 0)
        {
            Boundaries[at] = boundary with { Flattened = flattened };
        }
    }

    /// <summary>The usage of <paramref name="sessionId"/> (the file's own name when null), made on first use.</summary>
    public SessionUsage UsageOf(string? sessionId)
    {
        sessionId ??= System.IO.Path.GetFileNameWithoutExtension(Path);
        if (_last is not null && string.Equals(_last.SessionId, sessionId, StringComparison.Ordinal))
        {
            return _last;
        }

        if (!Usage.TryGetValue(sessionId, out _last))
        {
            _last = new SessionUsage(sessionId, _options.Usage, _options.Since, _options.Series);
            Usage.Add(sessionId, _last);
        }

        return _last;
    }
}
