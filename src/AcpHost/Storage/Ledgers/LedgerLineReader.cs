namespace AcpHost.Storage.Ledgers;

/// <summary>
/// Splits a stream into LF-terminated lines of bytes (a trailing CR is dropped), holding one buffer at a time however
/// large the stream, and discarding lines longer than <see cref="MaxLineBytes"/>: a ledger line is a few hundred
/// bytes, so a longer one is damage (a zero-filled block after a crash, say), not something to load into memory.
/// The last line counts even without its LF.
/// </summary>
internal sealed class LedgerLineReader(Stream stream)
{
    /// <summary>The longest line kept.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    private const int InitialBufferBytes = 64 * 1024;

    /// <summary>How many lines were discarded for being longer than <see cref="MaxLineBytes"/>.</summary>
    public int OversizedLines { get; private set; }

    /// <summary>
    /// The lines, in order. Each one is a view of the reader's buffer, valid until the enumeration moves on.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> ReadLines()
    {
        byte[] buffer = new byte[InitialBufferBytes];
        int start = 0;
        int end = 0;
        bool discarding = false;
        while (true)
        {
            if (end == buffer.Length)
            {
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }
                else if (buffer.Length < MaxLineBytes)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes));
                }
                else
                {
                    // The buffer holds one unfinished line of MaxLineBytes: drop it and skip to its end.
                    discarding = true;
                    start = end = 0;
                }
            }

            int read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                break;
            }

            int scanFrom = end;
            end += read;
            int newline;
            while ((newline = buffer.AsSpan(scanFrom, end - scanFrom).IndexOf((byte)'\n')) >= 0)
            {
                int lineEnd = scanFrom + newline;
                if (discarding)
                {
                    discarding = false;
                    OversizedLines++;
                }
                else
                {
                    yield return Trim(buffer.AsMemory(start, lineEnd - start));
                }

                start = scanFrom = lineEnd + 1;
            }
        }

        if (discarding)
        {
            OversizedLines++;
        }
        else if (end > start)
        {
            yield return Trim(buffer.AsMemory(start, end - start));
        }
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line) =>
        line.Span is [.., (byte)'\r'] ? line[..^1] : line;
}
