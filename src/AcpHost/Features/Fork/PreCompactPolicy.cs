namespace AcpHost.Features.Fork;

/// <summary>
/// Decides when to fork before an automatic compaction. A session whose fill reaches the mark is forked once: at once
/// when no turn of it is running, else as soon as the turn that crossed the mark has ended (the agent compacts at the
/// start of the next turn, or on its own after the session has sat idle, so the end of the turn is the last moment the
/// history is whole). After that the session is disarmed until its fill drops below the mark again (a compaction), so
/// one crossing gives one fork. Sessions made by a pre-compact fork start disarmed: they are the preserved copy, as full
/// as their parent. Pure state, thread-safe.
/// </summary>
public sealed class PreCompactPolicy(double percent)
{
    private readonly Dictionary<string, State> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The mark, in percent of the context window.</summary>
    public double Percent { get; } = percent;

    /// <summary>A <c>usage_update</c> of a session. True when the session is to be forked now (no turn of it runs).</summary>
    public bool Observe(string sessionId, long? used, long? size)
    {
        if (used is not { } tokens || size is not > 0)
        {
            return false;
        }

        bool full = tokens * 100.0 / size.Value >= Percent;
        lock (_lock)
        {
            State state = StateOf(sessionId);
            if (!full)
            {
                state.Armed = true;
                state.Due = false;
                return false;
            }

            if (!state.Armed)
            {
                return false;
            }

            state.Armed = false;
            state.Due = state.Turns > 0;
            return !state.Due;
        }
    }

    /// <summary>A prompt of the session went to the agent.</summary>
    public void TurnStarted(string sessionId)
    {
        lock (_lock)
        {
            StateOf(sessionId).Turns++;
        }
    }

    /// <summary>A prompt of the session was answered. True, once, when the turn crossed the mark: fork now.</summary>
    public bool TurnEnded(string sessionId)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(sessionId, out State? state))
            {
                return false;
            }

            state.Turns = Math.Max(0, state.Turns - 1);
            bool due = state.Due;
            state.Due = false;
            return due;
        }
    }

    /// <summary>
    /// A new agent took the sessions over: no turn runs any more (the old agent's prompts were answered by the host, and
    /// no turn end will be seen for them). A crossing that waited for such a turn to end is armed again, so the next
    /// fill at the mark forks at once.
    /// </summary>
    public void AgentReplaced()
    {
        lock (_lock)
        {
            foreach (State state in _sessions.Values)
            {
                state.Turns = 0;
                if (state.Due)
                {
                    state.Due = false;
                    state.Armed = true;
                }
            }
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

        public int Turns { get; set; }
    }
}
