using System.Buffers;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Splits newline-delimited input into lines: LF ends a line, a trailing CR is dropped, blank lines are skipped.
/// One instance per input stream, because it remembers how far the buffer was already searched (so a 16 MiB line
/// arriving in small reads is scanned once, not once per read) and whether it is inside an over-long line.
/// </summary>
public sealed class LineFramer
{
    private readonly long _maxLineBytes;
    private long _scanned;
    private bool _discarding;

    /// <summary>Creates a framer that refuses lines longer than <paramref name="maxLineBytes"/>.</summary>
    public LineFramer(long maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>
    /// Takes the next line off the front of <paramref name="buffer"/>. On <see cref="FrameResult.NeedMore"/> the
    /// caller advances to <c>buffer.Start</c>, marks everything examined, and reads again. When
    /// <paramref name="isCompleted"/> is true a last line without LF still counts as a line.
    /// </summary>
    public FrameResult TryRead(ref ReadOnlySequence<byte> buffer, bool isCompleted, out ReadOnlySequence<byte> line)
    {
        while (true)
        {
            long searched = _scanned;
            if (!_discarding && _scanned == 0)
            {
                if (TryReadInFirstSegment(ref buffer, out FrameResult found, out line))
                {
                    if (found == FrameResult.NeedMore)
                    {
                        continue; // a blank line was skipped
                    }

                    return found;
                }

                searched = buffer.First.Length; // no LF there: the search below starts after it
            }

            SequencePosition? newline = buffer.Slice(searched).PositionOf((byte)'\n');
            ReadOnlySequence<byte> candidate;
            if (newline is { } end)
            {
                candidate = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
            }
            else if (isCompleted && !buffer.IsEmpty)
            {
                candidate = buffer;
                buffer = buffer.Slice(buffer.End);
            }
            else
            {
                return Incomplete(ref buffer, out line);
            }

            _scanned = 0;
            if (_discarding)
            {
                // The rest of a line that was already reported as oversized.
                _discarding = false;
                continue;
            }

            if (candidate.Length > _maxLineBytes)
            {
                line = default;
                return FrameResult.Oversized;
            }

            line = TrimCarriageReturn(candidate);
            if (!IsBlank(line))
            {
                return FrameResult.Line;
            }
        }
    }

    /// <summary>
    /// The common case, done on a span: the next line ends inside the first segment. Returns false when it does not
    /// (the general path then searches across segments); <see cref="FrameResult.NeedMore"/> here means a blank line
    /// was skipped.
    /// </summary>
    private bool TryReadInFirstSegment(ref ReadOnlySequence<byte> buffer, out FrameResult found, out ReadOnlySequence<byte> line)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        int newline = first.IndexOf((byte)'\n');
        if (newline < 0)
        {
            found = FrameResult.NeedMore;
            line = default;
            return false;
        }

        int length = newline > 0 && first[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        if (newline > _maxLineBytes)
        {
            found = FrameResult.Oversized;
            line = default;
        }
        else if (first[..length].IndexOfAnyExcept(" \t\r"u8) < 0)
        {
            found = FrameResult.NeedMore;
            line = default;
        }
        else
        {
            found = FrameResult.Line;
            line = buffer.Slice(0, length);
        }

        buffer = buffer.Slice(newline + 1);
        return true;
    }

    private FrameResult Incomplete(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        if (_discarding)
        {
            buffer = buffer.Slice(buffer.End);
            return FrameResult.NeedMore;
        }

        if (buffer.Length > _maxLineBytes)
        {
            // Report as soon as the limit is passed, and stop holding the bytes: memory stays bounded.
            _discarding = true;
            _scanned = 0;
            buffer = buffer.Slice(buffer.End);
            return FrameResult.Oversized;
        }

        _scanned = buffer.Length;
        return FrameResult.NeedMore;
    }

    private static ReadOnlySequence<byte> TrimCarriageReturn(ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty)
        {
            return line;
        }

        // The last byte can sit in the last segment only; Slice on a sequence is cheap either way.
        ReadOnlySequence<byte> last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r' ? line.Slice(0, line.Length - 1) : line;
    }

    private static bool IsBlank(in ReadOnlySequence<byte> line)
    {
        foreach (ReadOnlyMemory<byte> segment in line)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r"u8) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
