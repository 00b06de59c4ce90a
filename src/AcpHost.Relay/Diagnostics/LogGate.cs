namespace AcpHost.Relay.Diagnostics;

/// <summary>
/// Rate-limits one kind of repeated log line: the first <see cref="Burst"/> in each interval pass, the rest are only
/// counted, and the count is reported with the first line of the next interval. A peer that floods bad input would
/// otherwise turn every byte it sends into a hundred bytes of log (1 MiB of <c>"G\n"</c> once became 80 MiB).
/// </summary>
public sealed class LogGate
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _windowStart;
    private int _passed;
    private long _suppressed;

    /// <summary>A gate letting <paramref name="burst"/> lines through per <paramref name="interval"/>.</summary>
    public LogGate(int burst, TimeSpan interval, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Burst = burst;
        Interval = interval;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many lines pass per interval.</summary>
    public int Burst { get; }

    /// <summary>The length of one interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>
    /// Decides about one line. True: log it, after reporting <paramref name="suppressedBefore"/> lines held back in
    /// the interval that ended (when not zero). False: do not log it; <paramref name="startsSuppressing"/> is true for
    /// the first line held back in this interval, so that the caller can say once that the rest are only counted.
    /// </summary>
    public bool TryPass(out long suppressedBefore, out bool startsSuppressing)
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            suppressedBefore = 0;
            startsSuppressing = false;
            if (_passed == 0 || _time.GetElapsedTime(_windowStart, now) >= Interval)
            {
                suppressedBefore = _suppressed;
                _suppressed = 0;
                _passed = 0;
                _windowStart = now;
            }

            if (_passed < Burst)
            {
                _passed++;
                return true;
            }

            startsSuppressing = _suppressed == 0;
            _suppressed++;
            return false;
        }
    }
}
