namespace AcpHost.State;

/// <summary>
/// Which sessions are in a turn, as far as the wire shows: the <c>session/prompt</c> requests the client sent and the
/// agent has not answered yet, the sessions an ACP v2 agent reports <c>running</c> (v2 answers a prompt at once and
/// ends its turn with <c>state_update</c> <c>idle</c>), and the client's <c>/compact</c> prompts whose compaction has
/// not begun. A compaction that begins with no prompt in flight and no <c>/compact</c> awaited can only be one the agent
/// started itself: its idle compaction. That is how the host tells
/// an idle compaction from a <c>/compact</c> for clients whose wire carries no trigger (<c>compaction_update</c>);
/// protocol/README.md says what this can and cannot know. Thread-safe.
/// </summary>
internal sealed class SessionTurns
{
    // Every prompt is answered by the agent, which removes it again, or by the host when the agent died (AgentReplaced).
    private readonly Dictionary<Relay.Protocol.RequestId, string> _prompts = [];
    private readonly HashSet<string> _compactsAwaited = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile int _generation;

    /// <summary>How many times the agent was replaced: what was in flight before the last replacement will not end.</summary>
    public int Generation => _generation;

    /// <summary>The client sent <c>session/prompt</c> <paramref name="id"/> for <paramref name="sessionId"/>.</summary>
    /// <param name="id">The request id.</param>
    /// <param name="sessionId">The session prompted.</param>
    /// <param name="isCompact">The prompt is the <c>/compact</c> command.</param>
    public void PromptSent(Relay.Protocol.RequestId id, string sessionId, bool isCompact)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        lock (_lock)
        {
            _prompts[id] = sessionId;

            // A /compact still awaited from an earlier prompt never compacted (e.g. "No messages to compact"): a new
            // prompt of the same session is the latest point at which it could have begun.
            _compactsAwaited.Remove(sessionId);
            if (isCompact)
            {
                _compactsAwaited.Add(sessionId);
            }
        }
    }

    /// <summary>The agent answered request <paramref name="id"/>; returns the session if it was a prompt.</summary>
    public string? PromptAnswered(Relay.Protocol.RequestId id)
    {
        lock (_lock)
        {
            return _prompts.Remove(id, out string? sessionId) ? sessionId : null;
        }
    }

    /// <summary>An ACP v2 agent reported the session's foreground work <c>running</c>, or <c>idle</c>.</summary>
    public void ForegroundChanged(string sessionId, bool running)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        bool ended = false;
        lock (_lock)
        {
            if (running)
            {
                _running.Add(sessionId);
            }
            else
            {
                ended = _running.Remove(sessionId);
            }
        }

        if (ended)
        {
            WentIdle?.Invoke(sessionId);
        }
    }

    /// <summary>
    /// Raised (on the relay's pump) when an ACP v2 agent reports a running session <c>idle</c>: the end of a v2 turn,
    /// which answers no prompt. Handlers must not wait.
    /// </summary>
    public event Action<string>? WentIdle;

    /// <summary>True while a prompt of the session is in flight or an ACP v2 agent reports it running.</summary>
    public bool IsInTurn(string sessionId)
    {
        lock (_lock)
        {
            return _running.Contains(sessionId) || _prompts.ContainsValue(sessionId);
        }
    }

    /// <summary>
    /// Raised by <see cref="AgentReplaced"/>: whatever else follows turns (the fork before auto-compact) starts again
    /// from no turn running.
    /// </summary>
    public event Action? Replaced;

    /// <summary>
    /// The agent died and a new one took the sessions back: the host answered every prompt in flight with an error
    /// itself (those answers pass no interceptor), no /compact sent to the old agent will compact, and no v2 turn of the
    /// old agent will report its end. Returns the sessions that were in a turn.
    /// </summary>
    public IReadOnlyCollection<string> AgentReplaced()
    {
        HashSet<string> interrupted;
        lock (_lock)
        {
            interrupted = new HashSet<string>(_prompts.Values, StringComparer.Ordinal);
            interrupted.UnionWith(_running);
            _prompts.Clear();
            _compactsAwaited.Clear();
            _running.Clear();
            _generation++;
        }

        Replaced?.Invoke();
        return interrupted;
    }

    /// <summary>
    /// A compaction of <paramref name="sessionId"/> has begun: true when no prompt of the session is in flight and no
    /// client <c>/compact</c> awaits its compaction (which this one then is, and is no longer awaited).
    /// </summary>
    public bool BeganOutsideTurn(string sessionId)
    {
        lock (_lock)
        {
            bool awaited = _compactsAwaited.Remove(sessionId);
            return !awaited && !_prompts.ContainsValue(sessionId);
        }
    }
}
