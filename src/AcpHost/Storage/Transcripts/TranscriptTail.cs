namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Follows one session's transcript, returning the <c>compact_boundary</c> lines appended since the last read. It starts
/// at the file's end as it was when the session was first seen (older boundaries are history, not news), copes with
/// the file not existing yet, and with a line being written while it reads (a line without its LF waits for the next
/// read); the lines themselves come from <see cref="TranscriptLines"/>. Thread-safe: the relay's thread and the poll
/// loop may both read it; reads take turns.
/// </summary>
public sealed class TranscriptTail
{
    private readonly TranscriptLines _lines;
    private readonly Lock _lock = new();
    private bool _started;

    /// <summary>Creates a tail; <paramref name="locate"/> finds the file (null while it does not exist).</summary>
    public TranscriptTail(Func<string?> locate)
    {
        _lines = new TranscriptLines(locate);
    }

    /// <summary>The file, once found.</summary>
    public string? FilePath => _lines.FilePath;

    /// <summary>
    /// Marks where "new" begins: the file's current end, or its start if it does not exist yet. Call when the session
    /// is first seen.
    /// </summary>
    public void Start()
    {
        lock (_lock)
        {
            _lines.SkipToEnd();
            _started = true;
        }
    }

    /// <summary>Reads what was appended since the last call and returns the boundaries in it, in file order.</summary>
    public IReadOnlyList<TranscriptBoundary> ReadNew()
    {
        lock (_lock)
        {
            if (!_started)
            {
                _lines.SkipToEnd();
                _started = true;
            }

            var found = new List<TranscriptBoundary>();
            _lines.ReadNew((line, _, _) =>
            {
                if (TranscriptBoundaryParser.TryParse(line) is { } boundary)
                {
                    found.Add(boundary);
                }
            });
            return found;
        }
    }
}
