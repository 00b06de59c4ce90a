using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Fork;

/// <summary>
/// Forks a session before an automatic compaction can flatten it (<c>Fork:BeforeCompactPercent</c>). The agent
/// compacts at the start of the turn after the one that filled the context, or by itself once the session has sat idle
/// (agent 0.101.0's idle compaction, with no prompt on the wire); so the host forks as soon as the turn whose
/// <c>usage_update</c> crossed the mark has ended (its response has been handed on to the client), or at once when the
/// mark is crossed outside any turn (<see cref="PreCompactPolicy"/>). The fork holds the session's history as the model
/// has it then. It is the host's own work: it never blocks the relay; only the forked session's next messages wait for
/// it (<see cref="SessionGate"/>, bounded). A failed fork is logged and the session goes on all the same.
/// </summary>
internal sealed partial class PreCompactFork : IMessageInterceptor, IDisposable
{
    private readonly ForkService _forks;
    private readonly SessionRegistry _sessions;
    private readonly SessionGate _gate;
    private readonly ClientChannel _client;
    private readonly ILogger<PreCompactFork> _log;
    private readonly PreCompactPolicy? _policy;
    private readonly INotices? _notices;
    private readonly SessionTurns? _sharedTurns;

    // Prompts in flight, by the client's id, to know which session a response ends a turn of. Bounded by the client's
    // requests in flight; an entry leaves with its response.
    private readonly ConcurrentDictionary<RequestId, string> _turns = new();

    /// <summary>Creates the interceptor; it does nothing unless the setting is on.</summary>
    /// <param name="forks">Makes the forks.</param>
    /// <param name="sessions">The relayed sessions and their fill.</param>
    /// <param name="gate">Holds a session's messages while it is forked.</param>
    /// <param name="client">The relay, for forks that start outside an interception.</param>
    /// <param name="options">The mark.</param>
    /// <param name="log">The log.</param>
    /// <param name="notices">Where each fork it makes is told to the user, if anywhere.</param>
    /// <param name="turns">The host's turns, which the agent recovery voids when a new agent takes over.</param>
    public PreCompactFork(ForkService forks, SessionRegistry sessions, SessionGate gate, ClientChannel client, IOptions<ForkOptions> options, ILogger<PreCompactFork> log, INotices? notices = null, SessionTurns? turns = null)
    {
        _notices = notices;
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        _forks = forks;
        _sessions = sessions;
        _gate = gate;
        _client = client;
        _log = log;
        if (options.Value.ForksBeforeCompact && options.Value.BeforeCompactPercent is { } percent)
        {
            _policy = new PreCompactPolicy(percent);
            sessions.UsageChanged += OnUsage;
            sessions.SessionOpened += OnOpened;
            if (turns is not null)
            {
                _sharedTurns = turns;
                turns.Replaced += OnAgentReplaced;
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) => _policy is not null;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_policy is null || context.Info.Id is not { } id)
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
        {
            // Read without the serializer: on by default, this runs on every turn (see TurnFields).
            if (TurnFields.SessionIdOf(context.Line.Span) is { } sessionId && _turns.TryAdd(id, sessionId))
            {
                _policy.TurnStarted(sessionId);
            }
        }
        else if (context.Direction == Direction.FromAgent && context.Info.Kind == MessageKind.Response
            && _turns.TryRemove(id, out string? sessionId) && _policy.TurnEnded(sessionId))
        {
            // Held before the response goes on: the client's next message for this session waits for the fork.
            StartFork(sessionId, context.Outlet);
        }

        return ValueTask.FromResult(InterceptResult.Forward);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _sessions.UsageChanged -= OnUsage;
        _sessions.SessionOpened -= OnOpened;
        if (_sharedTurns is not null)
        {
            _sharedTurns.Replaced -= OnAgentReplaced;
        }
    }

    // The old agent's prompts were answered by the host itself, past every interceptor: no turn of theirs will end here.
    private void OnAgentReplaced()
    {
        _turns.Clear();
        _policy?.AgentReplaced();
    }

    private void OnUsage(SessionInfo session)
    {
        if (_policy?.Observe(session.SessionId, session.UsedTokens, session.ContextWindow) == true && _client.Outlet is { } outlet)
        {
            StartFork(session.SessionId, outlet);
        }
    }

    private void OnOpened(SessionInfo session)
    {
        if (session.ForkReason == ForkReasons.PreCompact)
        {
            _policy?.Disarm(session.SessionId);
        }
    }

    private void StartFork(string sessionId, IRelayOutlet outlet)
    {
        IDisposable hold = _gate.Hold(sessionId);
        SessionInfo? session = _sessions.Find(sessionId);
        ForkingBeforeCompact(_log, sessionId, session?.UsedTokens, session?.ContextWindow, _policy!.Percent);
        _ = Task.Run(() => ForkAsync(sessionId, session, outlet, hold));
    }

    private async Task ForkAsync(string sessionId, SessionInfo? crossed, IRelayOutlet outlet, IDisposable hold)
    {
        using (hold)
        {
            try
            {
                using var bounded = new CancellationTokenSource(_gate.HoldTimeout);
                ForkResult result = await _forks.ForkAsync(new ForkRequest(sessionId, ForkReasons.PreCompact), outlet, bounded.Token).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    ForkFailed(_log, sessionId, result.Error?.GetRawText() ?? "");
                }
                else if (_notices is not null)
                {
                    await _notices.PostAsync(PreCompactNoticeText.For(sessionId, result.SessionId!, crossed, _policy!), bounded.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is AgentUnavailableException or OperationCanceledException)
            {
                ForkFailed(_log, sessionId, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Session {SessionId} is at {Used}/{Size} tokens (mark {Percent}%): forking it now, ahead of any automatic compaction")]
    private static partial void ForkingBeforeCompact(ILogger logger, string sessionId, long? used, long? size, double percent);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "The fork of {SessionId} before auto-compact failed: {Error}; the session goes on")]
    private static partial void ForkFailed(ILogger logger, string sessionId, string error);
}
