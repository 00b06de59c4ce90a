namespace AcpHost.Relay.Transport;

/// <summary>
/// Writes to a stream whose writes block anyway (the console's stdout) on the caller's thread, also when asked
/// asynchronously. The base <see cref="Stream"/> would queue each asynchronous write to the thread pool and run the
/// same blocking write there: a hop per flush, which is most of a small request's round trip. Side by side it lowers
/// the ping latency and the peak RSS (the thread pool's workers) and leaves the floods alone, whose writes are large
/// (figures: bench/HISTORY.md, "What each micro-optimisation buys").
/// </summary>
/// <remarks>
/// The caller is the writer of one direction (<see cref="LineWriter"/>), usually the pump on its reader thread; when
/// the client stops reading, that thread blocks in the write, which is the backpressure the relay wants.
/// </remarks>
public sealed class BlockingWriteStream(Stream inner) : Stream
{
    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            inner.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        inner.Flush();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
