using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Fork;

/// <summary>
/// Announces every fork, whoever made it, with <c>_acphost/session_forked</c> (and logs it, and tells the control
/// endpoint's watchers), so that the announcement reaches the client before any message of the new session. The agent
/// sends a fork's first updates (its command list) right after its <c>session/fork</c> response, while the host is
/// still handling that response; so while a fork is in flight, <c>session/update</c>s of sessions the host does not
/// know yet are held (bounded, at most <see cref="EarlyUpdateWait"/>) and let go right after the announcement. A fork
/// the client asked for is announced just before its response goes to the client. A session the client opens itself
/// meanwhile is no fork: the history a <c>session/load</c> (or <c>session/resume</c>) replays is not held while that
/// request runs, and whatever was held of a session opened by <c>session/new</c>, <c>load</c> or <c>resume</c> goes on
/// just before its response, so the client gets them in the order the agent sent them.
/// </summary>
/// <remarks>Registered after every other interceptor of <c>session/update</c>: what it holds back has been through them.</remarks>
internal sealed partial class ForkAnnouncer(SessionRegistry sessions, ILogger<ForkAnnouncer> log, HostEventBus? events = null) : IMessageInterceptor
{
    /// <summary>The longest a new session's early updates wait for the announcement.</summary>
    public static readonly TimeSpan EarlyUpdateWait = TimeSpan.FromSeconds(30);

    private readonly HeldLines _early = new(maxLines: 256, maxBytes: 8L * 1024 * 1024);

    // The client's session/fork requests in flight, with when they were sent. A response the relay writes itself (the
    // agent died) never passes here, so entries older than EarlyUpdateWait are dropped: a fork that never ends must not
    // leave every later update decoded and held.
    private readonly ConcurrentDictionary<RequestId, long> _clientForks = new();
    private int _clientForkCount;
    private int _hostForks;

    // Forks of the host's own that the registry knows but the client has not been told of yet: the agent pump may see
    // the fork's first update between the two, and that update must still wait for the announcement.
    private readonly ConcurrentDictionary<string, byte> _unannounced = new(StringComparer.Ordinal);

    // The client's session/load and session/resume requests in flight, by id, with the session each opens: its replayed
    // history is the client's own session's, never a fork's. An entry leaves with its response.
    private readonly ConcurrentDictionary<RequestId, string> _opening = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } =
        [AcpMethods.SessionUpdate, AcpMethods.SessionFork, AcpMethods.SessionNew, AcpMethods.SessionLoad, AcpMethods.SessionResume];

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method is AcpMethods.SessionFork or AcpMethods.SessionNew or AcpMethods.SessionLoad or AcpMethods.SessionResume || ForkInFlight || _early.Any;

    // Counters, not the dictionary's IsEmpty (which takes every lock when empty): Wants runs for every update.
    private bool ForkInFlight => Volatile.Read(ref _hostForks) > 0 || Volatile.Read(ref _clientForkCount) > 0;

    /// <summary>A fork of the host's own is about to be asked for.</summary>
    public void BeginFork() => Interlocked.Increment(ref _hostForks);

    /// <summary>
    /// A fork of the host's own is about to be registered as <paramref name="sessionId"/>: its updates wait for the
    /// announcement even once the registry knows it.
    /// </summary>
    public void Expect(string sessionId) => _unannounced[sessionId] = 0;

    /// <summary>A fork of the host's own ended; <paramref name="fork"/> is the new session, announced now, or null.</summary>
    public async Task EndForkAsync(SessionInfo? fork, IRelayOutlet outlet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outlet);
        try
        {
            if (fork is not null)
            {
                await AnnounceAsync(fork, outlet, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (fork is not null)
            {
                _unannounced.TryRemove(fork.SessionId, out _);
            }

            await ForkDoneAsync(outlet).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method is AcpMethods.SessionNew or AcpMethods.SessionLoad or AcpMethods.SessionResume)
        {
            await OpeningAsync(context).ConfigureAwait(false);
            return InterceptResult.Forward;
        }

        if (context.Method == AcpMethods.SessionFork)
        {
            if (context.Info.Id is not { } id)
            {
                return InterceptResult.Forward;
            }

            if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
            {
                if (_clientForks.TryAdd(id, Environment.TickCount64))
                {
                    Interlocked.Increment(ref _clientForkCount);
                }
            }
            else if (context.Direction == Direction.FromAgent && context.Info.Kind == MessageKind.Response && _clientForks.TryRemove(id, out _))
            {
                Interlocked.Decrement(ref _clientForkCount);
                string? child = JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.ResponseEnvelopeSessionResult)?.Result?.SessionId;
                if (child is not null && sessions.Find(child) is { } fork)
                {
                    await AnnounceAsync(fork, context.Outlet, cancellationToken).ConfigureAwait(false);
                }

                await LetGoUnclaimedAsync(context.Outlet).ConfigureAwait(false);
            }

            return InterceptResult.Forward;
        }

        DropStaleClientForks();
        if (context.Direction != Direction.FromAgent
            || JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.SessionUpdateNotification)?.Params?.SessionId is not { } sessionId)
        {
            return InterceptResult.Forward;
        }

        bool? held = _early.Enqueue(sessionId, context.Line);
        if (held is null)
        {
            if (!ForkInFlight || (sessions.Find(sessionId) is not null && !_unannounced.ContainsKey(sessionId)) || _opening.Values.Contains(sessionId, StringComparer.Ordinal))
            {
                return InterceptResult.Forward;
            }

            held = _early.HoldWith(sessionId, context.Line);
            IRelayOutlet outlet = context.Outlet;
            _ = Task.Delay(EarlyUpdateWait, CancellationToken.None).ContinueWith(_ => LetGoAsync(sessionId, outlet), TaskScheduler.Default);
        }

        // The announcement (or the fork's end) may have let this session go between the check above and the hold: the
        // line would then wait for the timer. Look again now that it is held.
        if (held == false || !ForkInFlight || (sessions.Find(sessionId) is not null && !_unannounced.ContainsKey(sessionId)))
        {
            await LetGoAsync(sessionId, context.Outlet).ConfigureAwait(false);
        }

        return InterceptResult.Consume;
    }

    /// <summary>
    /// A session the client opens itself: a load or resume is noted while it runs (its history passes unheld), and the
    /// response of any of them first lets go whatever was held of its session, so that it comes after those updates.
    /// </summary>
    private async Task OpeningAsync(InterceptContext context)
    {
        if (context.Info.Id is not { } id)
        {
            return;
        }

        if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
        {
            if (context.Method != AcpMethods.SessionNew
                && JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.RequestEnvelopeSessionParams)?.Params?.SessionId is { } opened)
            {
                _opening[id] = opened;
            }

            return;
        }

        if (context.Direction == Direction.FromAgent && context.Info.Kind == MessageKind.Response)
        {
            string? sessionId = _opening.TryRemove(id, out string? opened)
                ? opened
                : JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.ResponseEnvelopeSessionResult)?.Result?.SessionId;
            if (sessionId is not null && _early.IsHeld(sessionId))
            {
                await LetGoAsync(sessionId, context.Outlet).ConfigureAwait(false);
            }
        }
    }

    private async Task AnnounceAsync(SessionInfo session, IRelayOutlet outlet, CancellationToken cancellationToken)
    {
        if (session.ParentSessionId is not { } parent)
        {
            return;
        }

        string reason = session.ForkReason ?? ForkReasons.Client;
        SessionForked(log, session.SessionId, parent, reason, session.Cwd);
        var fork = new SessionForked
        {
            SessionId = session.SessionId,
            ParentSessionId = parent,
            Reason = reason,
            UsedTokens = session.UsedTokens ?? sessions.Find(parent)?.UsedTokens,
            ContextWindow = session.ContextWindow ?? sessions.Find(parent)?.ContextWindow,
            At = session.OpenedAt,
        };
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(SessionForkedNotification.From(fork), AcpJsonContext.Default.SessionForkedNotification);
        await outlet.NotifyClientAsync(AcpMethods.HostSessionForked, payload, cancellationToken).ConfigureAwait(false);
        events?.Publish(fork);
        _unannounced.TryRemove(session.SessionId, out _);
        await LetGoAsync(session.SessionId, outlet).ConfigureAwait(false);
    }

    private async Task ForkDoneAsync(IRelayOutlet outlet)
    {
        Interlocked.Decrement(ref _hostForks);
        await LetGoUnclaimedAsync(outlet).ConfigureAwait(false);
    }

    /// <summary>With no fork in flight, what is still held belongs to no fork (a session met some other way): it goes on.</summary>
    private async Task LetGoUnclaimedAsync(IRelayOutlet outlet)
    {
        if (ForkInFlight)
        {
            return;
        }

        foreach (string sessionId in _early.Sessions)
        {
            await LetGoAsync(sessionId, outlet).ConfigureAwait(false);
        }
    }

    private void DropStaleClientForks()
    {
        if (Volatile.Read(ref _clientForkCount) == 0)
        {
            return;
        }

        long oldest = Environment.TickCount64 - (long)EarlyUpdateWait.TotalMilliseconds;
        foreach ((RequestId id, long sent) in _clientForks)
        {
            if (sent < oldest && _clientForks.TryRemove(id, out _))
            {
                Interlocked.Decrement(ref _clientForkCount);
            }
        }
    }

    private Task LetGoAsync(string sessionId, IRelayOutlet outlet) =>
        _early.ReleaseAsync(sessionId, async line =>
        {
            try
            {
                await outlet.SendToClientAsync(line, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
            {
                SendFailed(log, ex, sessionId);
            }
        }, all: true);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Session forked: {SessionId} from {ParentSessionId} (reason {Reason}, cwd {Cwd})")]
    private static partial void SessionForked(ILogger logger, string sessionId, string parentSessionId, string reason, string cwd);

    [LoggerMessage(EventId = 215, Level = LogLevel.Error, Message = "An early update of {SessionId} could not be relayed")]
    private static partial void SendFailed(ILogger logger, Exception exception, string sessionId);
}
