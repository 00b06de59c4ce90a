using System.Buffers;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Follows one transcript file as the agent appends to it and hands each complete line to a reader, numbered from 1 as
/// an editor numbers them (from the file's start; from where it began when told to skip what was there). A line still
/// being written waits for its LF; a line longer than <see cref="MaxLine"/> is passed over, so memory is one read chunk
/// and at most one pending line. The file may appear later, and may be replaced by a shorter one: it is then read again
/// from its start, numbered from 1 again. Not thread-safe: one reader at a time.
/// </summary>
/// <param name="locate">Finds the file; null while it does not exist.</param>
internal sealed class TranscriptLines(Func<string?> locate)
{
    /// <summary>The longest line handed on; transcripts' longest lines are tool results of a few MB.</summary>
    public const int MaxLine = 64 * 1024 * 1024;

    private const int ReadChunk = 64 * 1024;

    // A pending buffer grown past this goes back to the pool once its line is done, so a session keeps no large buffer.
    private const int KeptBuffer = 1024 * 1024;

    private string? _path;
    private byte[]? _pending;
    private int _pendingLength;
    private bool _skipping;
    private long _offset;
    private long _number;

    /// <summary>A line: its bytes (without the LF), its number, and where in the file it starts.</summary>
    public delegate void LineTaker(ReadOnlySpan<byte> line, long number, long offset);

    /// <summary>The file, once found.</summary>
    public string? FilePath => _path;

    /// <summary>Starts after what the file holds now (or at its start while it does not exist): that is history, not news.</summary>
    public void SkipToEnd()
    {
        _path ??= locate();
        _offset = _path is not null && File.Exists(_path) ? new FileInfo(_path).Length : 0;
    }

    /// <summary>Reads what was appended since the last call and hands on each complete line, in order.</summary>
    /// <param name="take">Gets each line.</param>
    /// <param name="restarting">Called before the lines of a file that became shorter are read again from its start.</param>
    /// <returns>How many complete lines were read (given up ones included).</returns>
    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public int ReadNew(LineTaker take, Action? restarting = null)
    {
        ArgumentNullException.ThrowIfNull(take);
        _path ??= locate();
        if (_path is null)
        {
            return 0;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }

        using (stream)
        {
            if (stream.Length < _offset)
            {
                // Truncated or replaced: start over from its beginning.
                _offset = _number = 0;
                _pendingLength = 0;
                _skipping = false;
                restarting?.Invoke();
            }

            stream.Position = _offset;
            int lines = 0;
            byte[] chunk = ArrayPool<byte>.Shared.Rent(ReadChunk);
            try
            {
                int read;
                while ((read = stream.Read(chunk, 0, ReadChunk)) > 0)
                {
                    lines += Split(chunk.AsSpan(0, read), take);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return lines;
        }
    }

    private int Split(ReadOnlySpan<byte> data, LineTaker take)
    {
        int lines = 0;
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Hold(data);
                _offset += data.Length;
                return lines;
            }

            long start = _offset - _pendingLength;
            _offset += newline + 1;
            _number++;
            lines++;
            if (_skipping)
            {
                _skipping = false;
            }
            else if (_pendingLength > 0)
            {
                Hold(data[..newline]);
                if (!_skipping)
                {
                    take(Trim(_pending.AsSpan(0, _pendingLength)), _number, start);
                }

                _skipping = false;
                Release();
            }
            else
            {
                take(Trim(data[..newline]), _number, start);
            }

            data = data[(newline + 1)..];
        }

        return lines;
    }

    // Keeps the start of a line until its LF comes; past MaxLine the line is given up and skipped to its end.
    private void Hold(ReadOnlySpan<byte> part)
    {
        if (_skipping)
        {
            return;
        }

        if (_pendingLength + part.Length > MaxLine)
        {
            _skipping = true;
            Release();
            return;
        }

        if (_pending is null || _pending.Length < _pendingLength + part.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_pendingLength + part.Length, 4096));
            _pending?.AsSpan(0, _pendingLength).CopyTo(larger);
            if (_pending is not null)
            {
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = larger;
        }

        part.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += part.Length;
    }

    private void Release()
    {
        _pendingLength = 0;
        if (_pending is { Length: > KeptBuffer })
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) => line is [.., (byte)'\r'] ? line[..^1] : line;
}
