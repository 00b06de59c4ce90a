namespace AcpHost.State;

/// <summary>
/// When the host must be gone, once it has begun to end: set by the relay when it begins to
/// (<c>Relay:ShutdownGrace</c> plus a second from the moment it was told to stop or the client left). The services that
/// stop after the relay (the ledgers' last records, the control endpoint, telemetry's flush) bound their last work by
/// what is left of it, so the host ends in time whatever its peers do. Before it is set, each keeps its own cap.
/// Thread-safe.
/// </summary>
/// <param name="time">The clock.</param>
internal sealed class ShutdownDeadline(TimeProvider time)
{
    // Kept back from the deadline for the process's own exit after the last service has stopped.
    private static readonly TimeSpan ExitMargin = TimeSpan.FromMilliseconds(200);

    private long _utcTicks = long.MaxValue;

    /// <summary>The time by which the host must be gone; null until the relay began to end.</summary>
    public DateTimeOffset? At
    {
        get
        {
            long ticks = Interlocked.Read(ref _utcTicks);
            return ticks == long.MaxValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Sets the deadline; the first one set stays.</summary>
    public void Set(DateTimeOffset at) => Interlocked.CompareExchange(ref _utcTicks, at.UtcTicks, long.MaxValue);

    /// <summary>How long a last step may take now: <paramref name="cap"/>, or what is left before the deadline if less.</summary>
    public TimeSpan Left(TimeSpan cap)
    {
        if (At is not { } at)
        {
            return cap;
        }

        TimeSpan left = at - time.GetUtcNow() - ExitMargin;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < cap ? left : cap;
    }
}
