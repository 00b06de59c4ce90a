using System.Buffers;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Follows one session's transcript, returning the <c>compact_boundary</c> lines appended since the last read. It starts
/// at the file's end as it was when the session was first seen (older boundaries are history, not news), copes with
/// the file not existing yet, and with a line being written while it reads (a line without its LF waits for the next
/// read). Each complete line is also handed to the tail's <see cref="ITranscriptLineReader"/>s, so that whoever else
/// follows the session (its live usage) needs no second read of the file. Thread-safe: the relay's thread and the poll
/// loop may both read it; reads take turns.
/// </summary>
public sealed class TranscriptTail
{
    private const int ReadChunk = 64 * 1024;

    // A runaway line without LF is given up on past this size rather than held forever.
    private const int MaxPendingLine = 64 * 1024 * 1024;

    private readonly Func<string?> _locate;
    private readonly IReadOnlyList<ITranscriptLineReader> _readers;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _partial = new();
    private string? _path;
    private long _offset;
    private bool _started;

    /// <summary>Creates a tail; <paramref name="locate"/> finds the file (null while it does not exist).</summary>
    /// <param name="locate">Finds the file.</param>
    /// <param name="readers">Also given every new line, and told when each read is over.</param>
    public TranscriptTail(Func<string?> locate, IReadOnlyList<ITranscriptLineReader>? readers = null)
    {
        _locate = locate;
        _readers = readers ?? [];
    }

    /// <summary>The file, once found.</summary>
    public string? FilePath => _path;

    /// <summary>
    /// Marks where "new" begins: the file's current end, or its start if it does not exist yet. Call when the session
    /// is first seen.
    /// </summary>
    public void Start()
    {
        lock (_lock)
        {
            StartCore();
        }
    }

    /// <summary>Reads what was appended since the last call and returns the boundaries in it, in file order.</summary>
    public IReadOnlyList<TranscriptBoundary> ReadNew()
    {
        lock (_lock)
        {
            try
            {
                return ReadNewCore();
            }
            finally
            {
                foreach (ITranscriptLineReader reader in _readers)
                {
                    reader.ReadDone();
                }
            }
        }
    }

    private void StartCore()
    {
        _path ??= _locate();
        _offset = _path is not null && File.Exists(_path) ? new FileInfo(_path).Length : 0;
        _started = true;
    }

    private List<TranscriptBoundary> ReadNewCore()
    {
        if (!_started)
        {
            StartCore();
        }

        _path ??= _locate();
        if (_path is null)
        {
            return [];
        }

        FileStream stream;
        try
        {
            stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }

        using (stream)
        {
            if (stream.Length < _offset)
            {
                // Truncated or replaced: start over from its beginning.
                _offset = 0;
                _partial.Clear();
            }

            stream.Position = _offset;
            var found = new List<TranscriptBoundary>();
            byte[] chunk = ArrayPool<byte>.Shared.Rent(ReadChunk);
            try
            {
                int read;
                while ((read = stream.Read(chunk, 0, ReadChunk)) > 0)
                {
                    _offset += read;
                    Split(chunk.AsSpan(0, read), found);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return found;
        }
    }

    private void Split(ReadOnlySpan<byte> data, List<TranscriptBoundary> found)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (_partial.WrittenCount + data.Length <= MaxPendingLine)
                {
                    _partial.Write(data);
                }

                return;
            }

            ReadOnlySpan<byte> line = data[..newline];
            if (_partial.WrittenCount > 0)
            {
                _partial.Write(line);
                Take(_partial.WrittenSpan, found);
                _partial.Clear();
            }
            else
            {
                Take(line, found);
            }

            data = data[(newline + 1)..];
        }
    }

    private void Take(ReadOnlySpan<byte> line, List<TranscriptBoundary> found)
    {
        foreach (ITranscriptLineReader reader in _readers)
        {
            reader.Take(line);
        }

        if (TranscriptBoundaryParser.TryParse(line) is { } boundary)
        {
            found.Add(boundary);
        }
    }
}
