namespace AcpHost.Features.Fork;

/// <summary>
/// Decides when to fork before an automatic compaction. A session whose fill reaches the mark is forked once: at once
/// when no turn of it is running, else as soon as the turn that crossed the mark has ended (the agent compacts at the
/// start of the next turn, or on its own after the session has sat idle, so the end of the turn is the last moment the
/// history is whole). After that the session is disarmed until its fill drops below the mark again (a compaction), so
/// one crossing gives one fork. Sessions made by a pre-compact fork start disarmed: they are the preserved copy, as full
/// as their parent. Pure state, thread-safe.
/// </summary>
/// <remarks>
/// The mark is <see cref="Percent"/> of the window, but never later than <see cref="MarginTokens"/> before the point
/// where the agent compacts by itself (<see cref="MarkFor"/>): a mark past that point would fork after the compaction.
/// </remarks>
internal sealed class PreCompactPolicy(double percent)
{
    /// <summary>
    /// How far below its window the pinned agent compacts by itself: measured with agent 0.101.0 and a 1,000,000-token
    /// window, a turn that ended at 967,407 tokens compacted at the start of the next one and one at 966,532 did not
    /// (docs/notices.md, "The fork before compaction"). Claude Code keeps room for a reply and a buffer, a fixed amount.
    /// </summary>
    public const long AgentReserveTokens = 33_000;

    /// <summary>How far before the agent's own compaction the mark stays at least, for the growth of the turn that crosses it.</summary>
    public const long MarginTokens = 20_000;

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

        bool full = tokens >= MarkFor(size.Value);
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

    /// <summary>The fill, in tokens, at which a session with this window is forked.</summary>
    public long MarkFor(long window)
    {
        long byPercent = (long)Math.Ceiling(window * Percent / 100);
        long beforeTheAgent = window - AgentReserveTokens - MarginTokens;
        return beforeTheAgent > 0 ? Math.Min(byPercent, beforeTheAgent) : byPercent;
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
