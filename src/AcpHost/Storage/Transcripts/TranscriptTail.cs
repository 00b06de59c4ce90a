namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Follows one session's transcript, returning the <c>compact_boundary</c> lines appended since the last read. It starts
/// at the file's end as it was when the session was first seen (older boundaries are history, not news), copes with
/// the file not existing yet, and with a line being written while it reads (a line without its LF waits for the next
/// read); the lines themselves come from <see cref="TranscriptLines"/>. Each complete line is also handed to the tail's
/// <see cref="ITranscriptLineReader"/>s, so that whoever else follows the session (its live usage) needs no second read
/// of the file. Thread-safe: the relay's thread and the poll loop may both read it; reads take turns.
/// </summary>
internal sealed class TranscriptTail
{
    /// <summary>
    /// How far the agent's clock, which stamps transcript lines, may disagree with the host's: a line is taken as written
    /// after a session opened when its stamp is no earlier than the opening minus this.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    private readonly TranscriptLines _lines;
    private readonly IReadOnlyList<ITranscriptLineReader> _readers;
    private readonly Lock _lock = new();
    private bool _started;

    /// <summary>Creates a tail; <paramref name="locate"/> finds the file (null while it does not exist).</summary>
    /// <param name="locate">Finds the file.</param>
    /// <param name="readers">Also given every new line, and told when each read is over.</param>
    public TranscriptTail(Func<string?> locate, IReadOnlyList<ITranscriptLineReader>? readers = null)
    {
        _lines = new TranscriptLines(locate);
        _readers = readers ?? [];
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
            try
            {
                _lines.ReadNew((line, _, _) =>
                {
                    foreach (ITranscriptLineReader reader in _readers)
                    {
                        reader.Take(line);
                    }

                    if (TranscriptBoundaryParser.TryParse(line) is { } boundary)
                    {
                        found.Add(boundary);
                    }
                });
            }
            finally
            {
                foreach (ITranscriptLineReader reader in _readers)
                {
                    reader.ReadDone();
                }
            }

            return found;
        }
    }
}
