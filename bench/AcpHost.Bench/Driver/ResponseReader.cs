using System.Buffers;
using System.IO.Pipelines;

namespace AcpHost.Bench.Driver;

/// <summary>
/// Reads the child's stdout without parsing JSON: floods are counted by newlines with a vectorised search, and the
/// only line ever inspected is one that may answer the driver's own request, found by its unique id marker.
/// </summary>
internal sealed class ResponseReader(PipeReader reader)
{
    private byte[] _scratch = new byte[16 * 1024];

    /// <summary>Reads lines up to and including the first that contains <paramref name="marker"/>; returns the bytes read.</summary>
    public async ValueTask<long> ReadUntilAsync(ReadOnlyMemory<byte> marker, CancellationToken cancellationToken)
    {
        long bytes = 0;
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is SequencePosition end)
            {
                ReadOnlySequence<byte> line = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                bytes += line.Length + 1;
                if (Contains(line, marker.Span))
                {
                    // Examined only this far: whatever follows must be readable at once by the next call.
                    reader.AdvanceTo(buffer.Start);
                    return bytes;
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("the child closed its stdout before answering");
            }
        }
    }

    /// <summary>
    /// Counts <paramref name="notifications"/> lines by their newlines alone, then reads up to the response that
    /// contains <paramref name="marker"/>. Returns the bytes read, response included.
    /// </summary>
    public async ValueTask<long> ReadFloodAsync(long notifications, ReadOnlyMemory<byte> marker, CancellationToken cancellationToken)
    {
        long lines = 0;
        long bytes = 0;
        while (lines < notifications)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            long consumed = 0;
            foreach (ReadOnlyMemory<byte> segment in buffer)
            {
                ReadOnlySpan<byte> span = segment.Span;
                long wanted = notifications - lines;
                int found = span.Count((byte)'\n');
                if (found < wanted)
                {
                    lines += found;
                    consumed += span.Length;
                    continue;
                }

                // Stop right after the last notification: the response is left for ReadUntilAsync to recognise.
                consumed += IndexOfNth(span, (byte)'\n', (int)wanted) + 1;
                lines += wanted;
                break;
            }

            bytes += consumed;
            reader.AdvanceTo(buffer.GetPosition(consumed));
            if (lines < notifications && result.IsCompleted)
            {
                throw new EndOfStreamException($"the child closed its stdout after {lines} of {notifications} notifications");
            }
        }

        return bytes + await ReadUntilAsync(marker, cancellationToken);
    }

    private static int IndexOfNth(ReadOnlySpan<byte> span, byte value, int n)
    {
        int index = -1;
        for (int i = 0; i < n; i++)
        {
            index += span[(index + 1)..].IndexOf(value) + 1;
        }

        return index;
    }

    private bool Contains(ReadOnlySequence<byte> line, ReadOnlySpan<byte> marker)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan.IndexOf(marker) >= 0;
        }

        if (line.Length > _scratch.Length)
        {
            _scratch = new byte[line.Length];
        }

        line.CopyTo(_scratch);
        return _scratch.AsSpan(0, (int)line.Length).IndexOf(marker) >= 0;
    }
}
