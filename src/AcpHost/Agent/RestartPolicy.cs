namespace AcpHost.Agent;

/// <summary>
/// Counts restarts in a sliding window and hands out the backoff delay for the next one, or refuses once
/// <see cref="RestartOptions.MaxRestarts"/> restarts happened within <see cref="RestartOptions.Window"/>.
/// </summary>
internal sealed class RestartPolicy(RestartOptions options, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly Lock _lock = new();

    /// <summary>The delay before the next restart, or null when no more are allowed now.</summary>
    public TimeSpan? NextDelay()
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_lock)
        {
            DateTimeOffset now = time.GetUtcNow();
            while (_recent.Count > 0 && now - _recent.Peek() > options.Window)
            {
                _recent.Dequeue();
            }

            if (_recent.Count >= options.MaxRestarts)
            {
                return null;
            }

            IReadOnlyList<TimeSpan> delays = options.EffectiveDelays;
            TimeSpan delay = delays[Math.Min(_recent.Count, delays.Count - 1)];
            _recent.Enqueue(now);
            return delay;
        }
    }
}
