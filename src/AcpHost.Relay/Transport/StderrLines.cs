using System.Text;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Reads a process's stderr as lines of at most <see cref="MaxLineBytes"/>: the rest of a longer line is counted and
/// dropped as it arrives, never held. A <c>StreamReader</c> would keep a line without end in memory however long it
/// grows (256 MiB of stderr without a newline once took the host to 2.6 GiB).
/// </summary>
public static class StderrLines
{
    /// <summary>The longest part of one stderr line that is kept.</summary>
    public const int MaxLineBytes = 8 * 1024;

    /// <summary>
    /// Reads <paramref name="stream"/> to its end, calling <paramref name="onLine"/> with each non-empty line (UTF-8,
    /// without its line ending, cut to <see cref="MaxLineBytes"/>) and how many bytes of it were dropped.
    /// </summary>
    public static async Task ReadAsync(Stream stream, Action<string, long> onLine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onLine);
        byte[] buffer = new byte[16 * 1024];
        byte[] line = new byte[MaxLineBytes];
        int length = 0;
        long dropped = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            ReadOnlySpan<byte> rest = buffer.AsSpan(0, read);
            while (!rest.IsEmpty)
            {
                int newline = rest.IndexOf((byte)'\n');
                ReadOnlySpan<byte> part = newline < 0 ? rest : rest[..newline];
                int keep = Math.Min(part.Length, MaxLineBytes - length);
                part[..keep].CopyTo(line.AsSpan(length));
                length += keep;
                dropped += part.Length - keep;
                if (newline < 0)
                {
                    break;
                }

                Emit(line, length, dropped, onLine);
                length = 0;
                dropped = 0;
                rest = rest[(newline + 1)..];
            }
        }

        Emit(line, length, dropped, onLine);
    }

    private static void Emit(byte[] line, int length, long dropped, Action<string, long> onLine)
    {
        if (dropped == 0 && length > 0 && line[length - 1] == (byte)'\r')
        {
            length--;
        }

        if (length > 0 || dropped > 0)
        {
            onLine(Encoding.UTF8.GetString(line, 0, length), dropped);
        }
    }
}
