namespace AcpHost.Features.Fork;

/// <summary>
/// Decides when to fork before auto-compact. A session's fill at or above the mark makes a fork due once; after the
/// fork the session is disarmed until its fill drops below the mark again (a compaction), so one crossing gives one
/// fork. Sessions made by a pre-compact fork start disarmed: they are the preserved copy, as full as their parent.
/// Pure state, thread-safe.
/// </summary>
public sealed class PreCompactPolicy(double percent)
{
    private readonly Dictionary<string, State> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The mark, in percent of the context window.</summary>
    public double Percent { get; } = percent;

    /// <summary>A <c>usage_update</c> of a session.</summary>
    public void Observe(string sessionId, long? used, long? size)
    {
        if (used is not { } tokens || size is not > 0)
        {
            return;
        }

        bool full = tokens * 100.0 / size.Value >= Percent;
        lock (_lock)
        {
            State state = StateOf(sessionId);
            if (!full)
            {
                state.Armed = true;
                state.Due = false;
            }
            else if (state.Armed)
            {
                state.Due = true;
            }
        }
    }

    /// <summary>True, once, when the session should be forked before its next prompt goes on; it is then disarmed.</summary>
    public bool TakeDue(string sessionId)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(sessionId, out State? state) || !state.Due)
            {
                return false;
            }

            state.Due = false;
            state.Armed = false;
            return true;
        }
    }

    /// <summary>Keeps a session from being forked until its fill drops below the mark.</summary>
    public void Disarm(string sessionId)
    {
        lock (_lock)
        {
            State state = StateOf(sessionId);
            state.Armed = false;
            state.Due = false;
        }
    }

    private State StateOf(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out State? state))
        {
            _sessions[sessionId] = state = new State();
        }

        return state;
    }

    private sealed class State
    {
        public bool Armed { get; set; } = true;

        public bool Due { get; set; }
    }
}
