using System.IO.Pipelines;

namespace AcpHost.Relay.Transport;

/// <summary>
/// The single writer of one direction. Every line bound for a peer, relayed or the host's own, goes through here
/// under one gate, so lines never interleave. Lines can be written without flushing and flushed once a batch of
/// input is drained: many small messages then cost one write to the peer, not one each. Backpressure comes from the
/// underlying <see cref="PipeWriter"/>: a flush waits while the peer is not reading.
/// </summary>
/// <remarks>
/// The gate is an interlocked flag with a semaphore behind it for writers that have to wait. A pump writing a line
/// it does not flush, with nobody else writing, takes the flag, copies, drops the flag: no lock, no task, no await.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore never allocates a wait handle, so there is nothing to dispose.")]
public sealed class LineWriter
{
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _wake = new(0);
    private int _held;
    private int _waiting;
    private bool _completed;

    /// <summary>Creates the writer for one peer.</summary>
    public LineWriter(PipeWriter output) => _output = output;

    /// <summary>Writes one line (LF is appended), flushing it when <paramref name="flush"/> is true.</summary>
    /// <returns>False when the peer is gone and the line could not be written.</returns>
    public ValueTask<bool> WriteLineAsync(ReadOnlyMemory<byte> line, bool flush, CancellationToken cancellationToken)
    {
        if (!flush && !cancellationToken.IsCancellationRequested && TryEnter())
        {
            try
            {
                if (_completed)
                {
                    return ValueTask.FromResult(false);
                }

                Append(line.Span);
                return ValueTask.FromResult(true);
            }
            finally
            {
                Exit();
            }
        }

        return WriteLineSlowAsync(line, flush, cancellationToken);
    }

    /// <summary>Flushes whatever lines were written without flushing.</summary>
    /// <returns>False when the peer is gone.</returns>
    public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return !_completed && await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Flushes and closes the output: the peer sees end of input. Safe to call more than once.</summary>
    public async ValueTask CompleteAsync()
    {
        await EnterAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            try
            {
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The peer is already gone; there is nothing left to deliver to it.
            }
            catch (ObjectDisposedException)
            {
                // Likewise: the stream under the pipe was closed with the peer.
            }

            await _output.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private async ValueTask<bool> WriteLineSlowAsync(ReadOnlyMemory<byte> line, bool flush, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return false;
            }

            Append(line.Span);
            return !flush || await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private bool TryEnter() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    private ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return TryEnter() ? ValueTask.CompletedTask : WaitToEnterAsync(cancellationToken);
    }

    private async ValueTask WaitToEnterAsync(CancellationToken cancellationToken)
    {
        // Counted as waiting before trying again, so that a writer leaving in between sees us and wakes us.
        Interlocked.Increment(ref _waiting);
        try
        {
            while (!TryEnter())
            {
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private void Exit()
    {
        Interlocked.Exchange(ref _held, 0);

        // A wake already pending will do: the waiter it wakes tries the flag again, and sleeps again if it lost.
        if (Volatile.Read(ref _waiting) > 0 && _wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    // Lines from here up are written in pieces (see Append).
    private const int LargeLine = 64 * 1024;

    private void Append(ReadOnlySpan<byte> line)
    {
        if (line.Length < LargeLine)
        {
            // The common case: one contiguous span per line.
            Span<byte> span = _output.GetSpan(line.Length + 1);
            line.CopyTo(span);
            span[line.Length] = (byte)'\n';
            _output.Advance(line.Length + 1);
            return;
        }

        // A large line is copied in the pipe's ordinary segments: asking for one span of its whole size would rent
        // an array as large from the shared pool, which keeps it long after the line has gone.
        while (!line.IsEmpty)
        {
            Span<byte> span = _output.GetSpan();
            int chunk = Math.Min(span.Length, line.Length);
            line[..chunk].CopyTo(span);
            _output.Advance(chunk);
            line = line[chunk..];
        }

        _output.GetSpan(1)[0] = (byte)'\n';
        _output.Advance(1);
    }

    private async ValueTask<bool> FlushCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            FlushResult result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                _completed = true;
            }

            return !result.IsCompleted;
        }
        catch (IOException)
        {
            // A closed pipe (EPIPE) means the peer went away; callers treat false as "peer gone".
            _completed = true;
            return false;
        }
        catch (ObjectDisposedException)
        {
            // Likewise.
            _completed = true;
            return false;
        }
    }
}
