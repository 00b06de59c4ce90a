namespace AcpHost.Relay.Transport;

/// <summary>What a <see cref="LinePump"/> hands its lines to: the seam between framing and the protocol.</summary>
public interface ILineHandler
{
    /// <summary>Handles one line. The memory is valid until the returned task completes.</summary>
    /// <returns>False to stop the pump (the peer the lines are for is gone).</returns>
    ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken);

    /// <summary>A line over the size limit was dropped.</summary>
    /// <returns>False to stop the pump.</returns>
    ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken);

    /// <summary>All input read so far has been handled: the time to flush what was written without flushing.</summary>
    /// <returns>False to stop the pump.</returns>
    ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken);
}
