using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace AcpHost.Tests.Support;

/// <summary>Reads LF-terminated lines from a pipe, as a peer of the relay would, with a timeout on every wait.</summary>
internal sealed class LineReader(PipeReader reader)
{
    // Generous: a line that is due arrives in microseconds on a quiet machine, and a loaded one (other builds, a busy
    // loop beside the suite) must not fail a test that waits for it; only a bug waits this long.
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private bool _ended;

    /// <summary>The next line's bytes (without LF); throws on timeout, null at end of stream.</summary>
    public async Task<byte[]?> ReadLineBytesAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cts.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition? newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                byte[] line = buffer.Slice(0, end).ToArray();
                reader.AdvanceTo(buffer.GetPosition(1, end));
                return line;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                _ended = true;
                return null;
            }
        }
    }

    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null) =>
        await ReadLineBytesAsync(timeout) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The next line, which must exist.</summary>
    public async Task<string> NextAsync(TimeSpan? timeout = null) =>
        await ReadLineAsync(timeout) ?? throw new InvalidOperationException("The stream ended; a line was expected");

    /// <summary>Reads until end of stream; true if it ended within <paramref name="timeout"/>. Lines read are dropped.</summary>
    public async Task<bool> WaitForEndAsync(TimeSpan timeout)
    {
        if (_ended)
        {
            return true;
        }

        try
        {
            while (await ReadLineBytesAsync(timeout) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>All remaining lines until end of stream.</summary>
    public async Task<List<string>> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var lines = new List<string>();
        while (await ReadLineAsync(timeout) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
