using System.IO.Pipelines;

namespace AcpHost.Tests.Support;

/// <summary>
/// A pipe writer that tells whether its user is waiting for the reader: a flush that did not complete at once is held
/// back by the pipe's pause threshold. Lets a test wait for backpressure itself instead of sleeping until it has
/// probably happened.
/// </summary>
internal sealed class WatchedPipeWriter(PipeWriter inner) : PipeWriter
{
    private int _waiting;

    /// <summary>True while a flush is held back because the reader is not reading.</summary>
    public bool IsWaitingForReader => Volatile.Read(ref _waiting) == 1;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ValueTask<FlushResult> flush = inner.FlushAsync(cancellationToken);
        return flush.IsCompleted ? flush : WaitAsync(flush);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ValueTask<FlushResult> write = inner.WriteAsync(source, cancellationToken);
        return write.IsCompleted ? write : WaitAsync(write);
    }

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    private async ValueTask<FlushResult> WaitAsync(ValueTask<FlushResult> pending)
    {
        Volatile.Write(ref _waiting, 1);
        try
        {
            return await pending;
        }
        finally
        {
            Volatile.Write(ref _waiting, 0);
        }
    }
}
