using System.Diagnostics;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The clock of the relay's end: started once, when the relay begins to end (told to stop, the client gone, the agent
/// lost for good), it tells each later step how much of <see cref="RelayOptions.ShutdownBound"/> is left, so that the
/// steps together end in time whatever the peers do. Each step keeps its own cap as well; before the clock starts,
/// the cap alone counts.
/// </summary>
/// <param name="bound">How long the whole end may take.</param>
/// <param name="ending">Told, when the clock starts, the time by which the process should be gone.</param>
internal sealed class EndClock(TimeSpan bound, Action<DateTimeOffset>? ending)
{
    // Left over for what the host does after the relay (the ledgers' last records), out of the bound's last second.
    private static readonly TimeSpan Reserve = TimeSpan.FromMilliseconds(500);

    private long _startedAt;
    private long _endBy;

    /// <summary>Starts the clock, if it has not started yet.</summary>
    public void Start()
    {
        long now = Stopwatch.GetTimestamp();
        if (Interlocked.CompareExchange(ref _endBy, now + (long)(bound.TotalSeconds * Stopwatch.Frequency), 0) == 0)
        {
            Volatile.Write(ref _startedAt, now);
            ending?.Invoke(DateTimeOffset.UtcNow + bound);
        }
    }

    /// <summary>
    /// What is left of the agent's <paramref name="grace"/>, which counts from the clock's start: however the end goes
    /// on (the client's input ended, then its pump came unstuck and finished), the agent gets one grace, not one per step.
    /// </summary>
    public TimeSpan GraceLeft(TimeSpan grace)
    {
        long startedAt = Volatile.Read(ref _startedAt);
        TimeSpan left = startedAt == 0 ? grace : grace - Stopwatch.GetElapsedTime(startedAt);
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>What a step may take now: <paramref name="cap"/>, or less once the clock runs (never below zero).</summary>
    public TimeSpan Left(TimeSpan cap)
    {
        long endBy = Volatile.Read(ref _endBy);
        if (endBy == 0)
        {
            return cap;
        }

        TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), endBy) - Reserve;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < cap ? left : cap;
    }
}
