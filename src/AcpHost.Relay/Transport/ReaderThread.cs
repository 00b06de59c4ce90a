using System.IO.Pipelines;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Reads a stream on a thread of its own with blocking reads, into a <see cref="Pipe"/> whose reader runs inline.
/// The pump reading that pipe therefore runs on this thread too: bytes are read, framed, routed and written to the
/// peer without a single hop through the thread pool.
/// </summary>
/// <remarks>
/// Why not <c>PipeReader.Create(stream)</c>: the host's stdin is a console stream, whose asynchronous read is the
/// base <see cref="Stream"/>'s (a blocking read queued to the thread pool), and the agent's stdout completes its
/// reads through the socket engine's event thread. Either way every read woke one thread to wake another, which cost
/// more than the relaying itself for small messages and most of the latency of a request. A blocking read on a
/// dedicated thread is one wake-up per read, like a C relay's loop: side by side it about halves the relay's CPU per
/// small message and doubles both floods (figures: bench/HISTORY.md, "What each micro-optimisation buys").
/// Backpressure is kept: once <see cref="PauseThreshold"/> bytes wait unread in the pipe (the pump is itself waiting
/// for a slow peer), the thread stops reading and the sender's writes block in the kernel.
/// </remarks>
public static class ReaderThread
{
    /// <summary>The unread bytes at which the thread stops reading until the pump catches up.</summary>
    public const int PauseThreshold = 1024 * 1024;

    // Up to this much per read: a pipe grown by PipeCapacity holds more than the default 64 KiB, and one read of a
    // flood should take what is there.
    private const int ReadSize = 256 * 1024;

    /// <summary>
    /// Starts a background thread named <paramref name="name"/> that reads <paramref name="source"/> until it ends,
    /// fails, or the returned reader is completed. An I/O error counts as the end of the input; any other failure
    /// is handed to the pump, whose read throws it. With a <paramref name="spin"/>, each read is preceded by its
    /// bounded wait, so data arriving within it does not have to wake a sleeping thread (see <see cref="ReadinessSpin"/>).
    /// The reader returned is an <see cref="IInputEnd"/>: it tells when the stream ended, before the pump reads that far;
    /// with a <paramref name="hangUp"/> probe, also when the writer closed while this thread is paused by backpressure.
    /// </summary>
    public static PipeReader Start(Stream source, string name, ReadinessSpin? spin = null, HangUpProbe? hangUp = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var pipe = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: PauseThreshold,
            resumeWriterThreshold: PauseThreshold / 2,
            minimumSegmentSize: ReadSize,
            useSynchronizationContext: false));

        // A background thread: a read of the editor's stdin cannot be interrupted and must not keep the host alive.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(source, pipe.Writer, spin, hangUp, ended);
            }
            finally
            {
                ended.TrySetResult();
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return new EndAwarePipeReader(pipe.Reader, ended.Task);
    }

    private static void Run(Stream source, PipeWriter writer, ReadinessSpin? spin, HangUpProbe? hangUp, TaskCompletionSource ended)
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                Memory<byte> memory = writer.GetMemory(ReadSize);
                spin?.Wait();
                int read = source.Read(memory.Span);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);

                // With an inline reader the pump handles these bytes inside this call; it only returns pending when
                // the pump left PauseThreshold bytes unread, and then this thread waits, which is the point.
                ValueTask<FlushResult> flush = writer.FlushAsync();
                FlushResult result = flush.IsCompletedSuccessfully ? flush.Result : WaitForPump(flush.AsTask(), hangUp, ended);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The stream was closed under us (the peer died or the host disposed it): for the pump that is end of input.
        }
        catch (Exception ex)
        {
            // Anything else is a bug, but an exception escaping a thread ends the process, and the editor with it:
            // it goes to the pump instead, whose read throws it, and the relay ends that direction.
            failure = ex;
        }
        finally
        {
            writer.Complete(failure);
        }
    }

    private static readonly TimeSpan HangUpPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits while the pump catches up; meanwhile, a writer that hung up is reported as the end of the input.</summary>
    private static FlushResult WaitForPump(Task<FlushResult> flush, HangUpProbe? hangUp, TaskCompletionSource ended)
    {
        if (hangUp is not null)
        {
            while (!flush.Wait(HangUpPollInterval))
            {
                if (hangUp.IsHungUp())
                {
                    ended.TrySetResult();
                }
            }
        }

        return flush.GetAwaiter().GetResult();
    }
}
