namespace AcpHost.Bench.Streams;

/// <summary>
/// Turns a stream's asynchronous reads and writes into plain blocking calls on the caller's thread.
/// </summary>
/// <remarks>
/// The fake agent and the driver are the harness, not what is measured, so they must not compete with the relay for
/// the machine's two cores. The console and process streams' asynchronous paths hop through the thread pool, whose
/// workers spin (<c>sched_yield</c>, about seven times per ping in <c>strace</c>) before they sleep; a real agent or
/// editor instead blocks in its event loop. With this wrapper a <see cref="System.IO.Pipelines.PipeReader"/> or
/// <see cref="System.IO.Pipelines.PipeWriter"/> over the stream completes every operation synchronously, so the whole
/// role runs on one thread that sleeps in <c>read()</c>. Cancellation is not observed while blocked: the callers end a
/// stuck read by killing the process at the other end, which closes the pipe.
/// </remarks>
internal sealed class BlockingStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(inner.Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(inner.Read(buffer, offset, count));

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        inner.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        inner.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        inner.Flush();
        return Task.CompletedTask;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
