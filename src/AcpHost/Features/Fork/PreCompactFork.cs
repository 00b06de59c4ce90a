using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Fork;

/// <summary>
/// Forks a session just before auto-compact would flatten it (<c>Fork:BeforeCompactPercent</c>). The agent compacts at
/// the start of the turn after the one that filled the context, before calling the model; so when a session's fill has
/// crossed the mark, the host holds that session's next prompt, forks, and only then lets the prompt go on. The fork
/// holds the full, uncompacted history. A failed fork is logged and the prompt goes on all the same: the user's turn
/// is never lost to it.
/// </summary>
public sealed partial class PreCompactFork : IMessageInterceptor, IDisposable
{
    private readonly ForkService _forks;
    private readonly SessionRegistry _sessions;
    private readonly ILogger<PreCompactFork> _log;
    private readonly PreCompactPolicy? _policy;

    /// <summary>Creates the interceptor; it does nothing unless the setting is on.</summary>
    public PreCompactFork(ForkService forks, SessionRegistry sessions, IOptions<ForkOptions> options, ILogger<PreCompactFork> log)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        _forks = forks;
        _sessions = sessions;
        _log = log;
        if (options.Value.BeforeCompactPercent is { } percent)
        {
            _policy = new PreCompactPolicy(percent);
            sessions.UsageChanged += OnUsage;
            sessions.SessionOpened += OnOpened;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) => _policy is not null;

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_policy is null || context.Direction != Direction.FromClient || context.Info.Kind != MessageKind.Request
            || JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.RequestEnvelopePromptParams)?.Params?.SessionId is not { } sessionId
            || !_policy.TakeDue(sessionId))
        {
            return InterceptResult.Forward;
        }

        SessionInfo? session = _sessions.Find(sessionId);
        ForkingBeforeCompact(_log, sessionId, session?.UsedTokens, session?.ContextWindow, _policy.Percent);
        try
        {
            ForkResult result = await _forks.ForkAsync(new ForkRequest(sessionId, ForkReasons.PreCompact), context.Outlet, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                ForkFailed(_log, sessionId, result.Error?.GetRawText() ?? "");
            }
        }
        catch (AgentUnavailableException ex)
        {
            ForkFailed(_log, sessionId, ex.Message);
        }

        return InterceptResult.Forward;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _sessions.UsageChanged -= OnUsage;
        _sessions.SessionOpened -= OnOpened;
    }

    private void OnUsage(SessionInfo session) => _policy?.Observe(session.SessionId, session.UsedTokens, session.ContextWindow);

    private void OnOpened(SessionInfo session)
    {
        if (session.ForkReason == ForkReasons.PreCompact)
        {
            _policy?.Disarm(session.SessionId);
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Session {SessionId} is at {Used}/{Size} tokens (mark {Percent}%): forking it before its next prompt, ahead of auto-compact")]
    private static partial void ForkingBeforeCompact(ILogger logger, string sessionId, long? used, long? size, double percent);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "The fork of {SessionId} before auto-compact failed: {Error}; the prompt goes on")]
    private static partial void ForkFailed(ILogger logger, string sessionId, string error);
}
