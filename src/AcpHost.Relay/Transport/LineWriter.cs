using System.IO.Pipelines;

namespace AcpHost.Relay.Transport;

/// <summary>
/// The single writer of one direction. Every line bound for a peer, relayed or the host's own, goes through here
/// under one gate, so lines never interleave. Lines can be written without flushing and flushed once a batch of
/// input is drained: many small messages then cost one write to the peer, not one each. Backpressure comes from the
/// underlying <see cref="PipeWriter"/>: a flush waits while the peer is not reading.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate never allocates a wait handle, so there is nothing to dispose.")]
public sealed class LineWriter
{
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _completed;

    /// <summary>Creates the writer for one peer.</summary>
    public LineWriter(PipeWriter output) => _output = output;

    /// <summary>Writes one line (LF is appended), flushing it when <paramref name="flush"/> is true.</summary>
    /// <returns>False when the peer is gone and the line could not be written.</returns>
    public async ValueTask<bool> WriteLineAsync(ReadOnlyMemory<byte> line, bool flush, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            _gate.Release();
        }
    }

    /// <summary>Flushes whatever lines were written without flushing.</summary>
    /// <returns>False when the peer is gone.</returns>
    public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return !_completed && await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Flushes and closes the output: the peer sees end of input. Safe to call more than once.</summary>
    public async ValueTask CompleteAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
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
            _gate.Release();
        }
    }

    private void Append(ReadOnlySpan<byte> line)
    {
        Span<byte> span = _output.GetSpan(line.Length + 1);
        line.CopyTo(span);
        span[line.Length] = (byte)'\n';
        _output.Advance(line.Length + 1);
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
            _completed = true;
            return false;
        }
    }
}
