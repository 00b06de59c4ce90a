namespace AcpHost.Tests.Support;

/// <summary>
/// The system clock, keeping count of the timers made from it that are armed: for the features that must not tick on
/// an idle host (an idle host that wakes a thread every 250 ms costs a laptop about 1 % of a core).
/// </summary>
internal sealed class TimerWatch : TimeProvider
{
    private int _armed;
    private int _created;

    /// <summary>Timers made from this clock that are armed now (not disposed, with a due time).</summary>
    public int Armed => Volatile.Read(ref _armed);

    /// <summary>Timers made from this clock so far.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        var timer = new Watched(this, System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class Watched(TimerWatch watch, ITimer inner) : ITimer
    {
        private readonly Lock _gate = new();
        private bool _armed;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    Mark(dueTime != Timeout.InfiniteTimeSpan);
                }
            }

            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Disarm();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Disarm();
            return inner.DisposeAsync();
        }

        private void Disarm()
        {
            lock (_gate)
            {
                Mark(false);
                _disposed = true;
            }
        }

        private void Mark(bool armed)
        {
            if (armed != _armed)
            {
                Interlocked.Add(ref watch._armed, armed ? 1 : -1);
                _armed = armed;
            }
        }
    }
}
