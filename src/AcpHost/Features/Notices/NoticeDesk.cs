using AcpHost.Acp;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Notices;

/// <summary>
/// Where the host's notices go out (<see cref="INotices"/>). When: inside the turn in which the event happens when one
/// runs (the end of that turn waits for what was expected, see <see cref="TurnEndHold"/>); at once, outside any turn, to
/// a client that shows notices (every v2 client); otherwise first in the session's next turn, before the agent's
/// updates (<see cref="NoticeFlush"/>), so nothing is shown in a turn it does not belong to. How: a <c>notice</c>
/// update, or the agent's own fallback (<see cref="HostNotice"/>). Thread-safe.
/// </summary>
/// <remarks>
/// Which turns run is told by <see cref="TurnEndHold"/>, the last to see a turn begin and end: a turn counts as running
/// until that end has passed it (or, held, has gone out), so a notice posted while the agent's answer is still on its way
/// through the other features is shown before it. <see cref="SessionTurns.Generation"/> voids the turns of a dead agent.
/// </remarks>
public sealed partial class NoticeDesk(NoticeSwitches switches, ClientProfile profile, SessionTurns turns, ClientChannel client, ILogger<NoticeDesk> log, TimeProvider? time = null)
    : INotices
{
    /// <summary>The longest the end of a turn waits for the notices expected inside it.</summary>
    public static readonly TimeSpan TurnEndBound = TimeSpan.FromSeconds(2);

    /// <summary>How long an expectation counts: one never fulfilled (a compaction that never ended) must not hold every later turn.</summary>
    public static readonly TimeSpan ExpectationLifetime = TimeSpan.FromSeconds(30);

    // A session nobody prompts again keeps its notices for its next turn; so many, then the oldest go.
    private const int MaxDeferredPerSession = 16;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, SessionNotices> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = NewSignal();
    private volatile int _deferring;

    /// <summary>True when some session has notices waiting for its next turn: the cheap check before a prompt is read.</summary>
    public bool HasDeferred => _deferring > 0;

    /// <inheritdoc/>
    public bool IsOn(NoticeKind kind) => switches.IsOn(kind);

    /// <inheritdoc/>
    public async ValueTask PostAsync(HostNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!IsOn(notice.Kind))
        {
            return;
        }

        if (!profile.ShowsNotices && !InTurn(notice.SessionId))
        {
            Defer(notice);
            return;
        }

        await SendAsync(notice, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Expect(NoticeKind kind, string sessionId, string key)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (IsOn(kind))
        {
            lock (_lock)
            {
                StateOf(sessionId).Expected[key] = _time.GetUtcNow() + ExpectationLifetime;
            }
        }
    }

    /// <inheritdoc/>
    public void Fulfil(string sessionId, string key)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(sessionId, out SessionNotices? state))
            {
                state.Expected.Remove(key);
            }
        }

        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    /// <inheritdoc/>
    public void AtTurnEnd(NoticeKind kind, string sessionId, Func<CancellationToken, Task<HostNotice?>> build)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (IsOn(kind))
        {
            lock (_lock)
            {
                StateOf(sessionId).AtTurnEnd.Add(build);
            }
        }
    }

    /// <summary>True when the end of the session's turn has something to wait for.</summary>
    public bool IsDue(string sessionId)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(sessionId, out SessionNotices? state) && (state.AtTurnEnd.Count > 0 || Expecting(state));
        }
    }

    /// <summary>A turn of the session began: an ACP v1 prompt went to the agent, or a v2 agent reported it running.</summary>
    public void TurnBegan(string sessionId, bool v2)
    {
        lock (_lock)
        {
            SessionNotices state = Current(sessionId);
            if (v2)
            {
                state.Running = true;
            }
            else
            {
                state.Prompts++;
            }
        }
    }

    /// <summary>
    /// A turn of the session ended on the wire. True when its end is to be held for the notices due in it (the session
    /// then counts as in a turn until <see cref="SettleTurnAsync"/> is done); false when nothing is due, or its end is
    /// held already.
    /// </summary>
    public bool TurnEnded(string sessionId, bool v2)
    {
        lock (_lock)
        {
            SessionNotices state = Current(sessionId);
            if (v2)
            {
                state.Running = false;
            }
            else
            {
                state.Prompts = Math.Max(0, state.Prompts - 1);
            }

            if (state.Ending || (state.AtTurnEnd.Count == 0 && !Expecting(state)))
            {
                return false;
            }

            state.Ending = true;
            return true;
        }
    }

    /// <summary>
    /// The end of the session's turn is held: runs what waits for it and posts what that returns, then waits for the
    /// expected notices, until <paramref name="bounded"/> fires. Notices posted meanwhile count as inside the turn.
    /// </summary>
    public async Task SettleTurnAsync(string sessionId, CancellationToken bounded)
    {
        List<Func<CancellationToken, Task<HostNotice?>>> builds;
        lock (_lock)
        {
            SessionNotices state = StateOf(sessionId);
            builds = [.. state.AtTurnEnd];
            state.AtTurnEnd.Clear();
        }

        try
        {
            foreach (Func<CancellationToken, Task<HostNotice?>> build in builds)
            {
                await PostBuiltAsync(sessionId, build, bounded).ConfigureAwait(false);
            }

            while (true)
            {
                Task changed = Volatile.Read(ref _changed).Task;
                lock (_lock)
                {
                    if (!Expecting(StateOf(sessionId)))
                    {
                        return;
                    }
                }

                await changed.WaitAsync(bounded).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // The turn goes on without them: what comes later belongs to no running turn.
            TurnEndNotWaited(log, sessionId, TurnEndBound);
            lock (_lock)
            {
                StateOf(sessionId).Expected.Clear();
            }
        }
        finally
        {
            lock (_lock)
            {
                StateOf(sessionId).Ending = false;
            }
        }
    }

    /// <summary>Shows the notices that waited for the session's next turn, oldest first.</summary>
    public async Task FlushAsync(string sessionId, CancellationToken cancellationToken)
    {
        List<HostNotice> waiting;
        lock (_lock)
        {
            if (!_sessions.TryGetValue(sessionId, out SessionNotices? state) || state.Deferred.Count == 0)
            {
                return;
            }

            waiting = [.. state.Deferred];
            state.Deferred.Clear();
            _deferring = _sessions.Values.Count(s => s.Deferred.Count > 0);
        }

        foreach (HostNotice notice in waiting)
        {
            await SendAsync(notice, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PostBuiltAsync(string sessionId, Func<CancellationToken, Task<HostNotice?>> build, CancellationToken bounded)
    {
        HostNotice? notice;
        try
        {
            notice = await build(bounded).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !bounded.IsCancellationRequested)
        {
            // A notice that cannot be made costs that notice, never the turn it was for.
            NoticeNotBuilt(log, ex, sessionId);
            return;
        }

        if (notice is not null)
        {
            await PostAsync(notice, bounded).ConfigureAwait(false);
        }
    }

    private bool InTurn(string sessionId)
    {
        lock (_lock)
        {
            SessionNotices state = Current(sessionId);
            return state.Ending || state.Running || state.Prompts > 0;
        }
    }

    /// <summary>The session's state, its turns voided if the agent that ran them was replaced since.</summary>
    private SessionNotices Current(string sessionId)
    {
        SessionNotices state = StateOf(sessionId);
        if (state.Generation != turns.Generation)
        {
            state.Generation = turns.Generation;
            state.Prompts = 0;
            state.Running = false;
        }

        return state;
    }

    private void Defer(HostNotice notice)
    {
        lock (_lock)
        {
            Queue<HostNotice> deferred = StateOf(notice.SessionId).Deferred;
            deferred.Enqueue(notice);
            if (deferred.Count > MaxDeferredPerSession)
            {
                NoticeDropped(log, deferred.Dequeue().Kind.Name, notice.SessionId);
            }

            _deferring = _sessions.Values.Count(s => s.Deferred.Count > 0);
        }

        NoticeDeferred(log, notice.Kind.Name, notice.SessionId);
    }

    private async Task SendAsync(HostNotice notice, CancellationToken cancellationToken)
    {
        if (client.Outlet is not { } outlet)
        {
            return;
        }

        byte[] update = notice.UpdateParams(profile.ShowsNotices, profile.IsV2 ? SessionUpdates.NewMessageId() : null);
        try
        {
            await outlet.NotifyClientAsync(AcpMethods.SessionUpdate, update, cancellationToken).ConfigureAwait(false);
            NoticeShown(log, notice.Kind.Name, notice.SessionId, notice.Title);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            NoticeNotSent(log, ex, notice.Kind.Name, notice.SessionId);
        }
    }

    private bool Expecting(SessionNotices state)
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (string stale in state.Expected.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            state.Expected.Remove(stale);
        }

        return state.Expected.Count > 0;
    }

    private SessionNotices StateOf(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out SessionNotices? state))
        {
            _sessions[sessionId] = state = new SessionNotices();
        }

        return state;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Notice ({Kind}) shown in session {SessionId}: {Title}")]
    private static partial void NoticeShown(ILogger logger, string kind, string sessionId, string title);

    [LoggerMessage(EventId = 701, Level = LogLevel.Debug, Message = "Notice ({Kind}) for session {SessionId} waits for its next turn: the client shows no notices outside a turn")]
    private static partial void NoticeDeferred(ILogger logger, string kind, string sessionId);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Notice ({Kind}) for session {SessionId} dropped: too many wait for its next turn")]
    private static partial void NoticeDropped(ILogger logger, string kind, string sessionId);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Notice ({Kind}) for session {SessionId} could not be sent")]
    private static partial void NoticeNotSent(ILogger logger, Exception exception, string kind, string sessionId);

    [LoggerMessage(EventId = 705, Level = LogLevel.Error, Message = "A notice for the end of a turn of {SessionId} could not be made")]
    private static partial void NoticeNotBuilt(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 704, Level = LogLevel.Debug, Message = "The end of a turn of {SessionId} waited {Bound} for its notices; it goes on, and what comes later is shown as outside the turn")]
    private static partial void TurnEndNotWaited(ILogger logger, string sessionId, TimeSpan bound);

    /// <summary>One session's notices: waiting for its next turn, expected in its turn, to build at its turn's end.</summary>
    private sealed class SessionNotices
    {
        public Queue<HostNotice> Deferred { get; } = new();

        public Dictionary<string, DateTimeOffset> Expected { get; } = new(StringComparer.Ordinal);

        public List<Func<CancellationToken, Task<HostNotice?>>> AtTurnEnd { get; } = [];

        public bool Ending { get; set; }

        /// <summary>ACP v1 prompts of the session in flight (the agent queues prompts).</summary>
        public int Prompts { get; set; }

        /// <summary>An ACP v2 agent reports the session's foreground work running.</summary>
        public bool Running { get; set; }

        /// <summary>The agent generation the turns above were counted in.</summary>
        public int Generation { get; set; }
    }
}
