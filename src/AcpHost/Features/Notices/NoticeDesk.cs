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
internal sealed partial class NoticeDesk(NoticeSwitches switches, ClientProfile profile, SessionTurns turns, ClientChannel client, ILogger<NoticeDesk> log, TimeProvider? time = null)
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
}
