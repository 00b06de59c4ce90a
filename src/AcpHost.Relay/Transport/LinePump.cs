using System.Buffers;
using System.IO.Pipelines;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Reads one input to its end and hands each line to a handler, in order. A line that spans buffer segments is
/// copied into one pooled array so the layers above always see contiguous bytes; a line in one segment is handed
/// over in place. After each read is drained the handler is told, so output is flushed once per read, not per line.
/// </summary>
/// <remarks>
/// Almost every line is handled synchronously (classified, written into the peer's buffer, no flush), so the loop
/// looks at each handler's <see cref="ValueTask{TResult}"/> and awaits only one that is really pending: the common
/// case costs no await and no per-line state machine.
/// </remarks>
public static class LinePump
{
    /// <summary>Pumps <paramref name="input"/> until it ends, the handler stops it, or cancellation.</summary>
    public static async Task<PumpEnd> RunAsync(PipeReader input, LineFramer framer, ILineHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(framer);
        ArgumentNullException.ThrowIfNull(handler);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return PumpEnd.InputEnded;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            bool keepGoing = true;
            try
            {
                while (keepGoing)
                {
                    FrameResult frame = framer.TryRead(ref buffer, result.IsCompleted, out ReadOnlySequence<byte> line);
                    if (frame == FrameResult.NeedMore)
                    {
                        break;
                    }

                    ValueTask<bool> handled = frame != FrameResult.Line ? handler.OnOversizedAsync(cancellationToken)
                        : line.IsSingleSegment ? handler.OnLineAsync(line.First, cancellationToken)
                        : HandleSplitLineAsync(line, handler, cancellationToken);
                    keepGoing = handled.IsCompletedSuccessfully ? handled.Result : await handled.ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (!keepGoing)
            {
                return PumpEnd.OutputGone;
            }

            ValueTask<bool> drained = handler.OnDrainedAsync(cancellationToken);
            if (!(drained.IsCompletedSuccessfully ? drained.Result : await drained.ConfigureAwait(false)))
            {
                return PumpEnd.OutputGone;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return PumpEnd.InputEnded;
            }
        }
    }

    // Lines up to this size are copied into pooled arrays; larger ones into arrays of their own.
    private const int MaxPooledLine = 1024 * 1024;

    private static async ValueTask<bool> HandleSplitLineAsync(ReadOnlySequence<byte> line, ILineHandler handler, CancellationToken cancellationToken)
    {
        int length = checked((int)line.Length);
        if (length > MaxPooledLine)
        {
            // A multi-MiB line gets an array of its own, collected once relayed: the shared pool would keep one of
            // up to twice its size per thread long after it.
            byte[] own = GC.AllocateUninitializedArray<byte>(length);
            line.CopyTo(own);
            return await handler.OnLineAsync(own, cancellationToken).ConfigureAwait(false);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            return await handler.OnLineAsync(rented.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
