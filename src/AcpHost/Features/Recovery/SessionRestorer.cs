using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Recovery;

/// <summary>
/// Puts a restarted agent back where the client left the old one: it replays the client's own <c>initialize</c>
/// params, reopens every session the client had with <c>session/resume</c> (or <c>session/load</c> when the agent
/// offers no resume) with the cwd and MCP servers it was opened with, so the client's session ids keep working, gives
/// each the client's choices back (<see cref="ChoiceReplay"/>; the client's <c>authenticate</c> right after
/// <c>initialize</c>), and announces <c>_acphost/agent_restarted</c>. A <c>session/load</c> replays the conversation
/// as updates; the client already has it, so those are not forwarded. Forks the host closed on the agent stay closed
/// (they are reopened when used, as before). A session the agent will not take back is listed by id in the
/// announcement and kept in <see cref="LostSessions"/>: its next use gets an error saying why.
/// </summary>
/// <param name="sessions">The sessions to reopen.</param>
/// <param name="choices">The client's choices to give back to each reopened session.</param>
/// <param name="lostSessions">The sessions the new agent would not take back.</param>
/// <param name="log">The log.</param>
/// <param name="turns">The turns the compaction signals follow: the old agent's prompts are all answered now.</param>
/// <param name="closedForks">The forks the host closed on the agent: not reopened until used.</param>
/// <param name="events">Where the restart is published (<see cref="Events.AgentRestarted"/>).</param>
/// <param name="time">The clock for that event.</param>
/// <param name="profile">The client's protocol version: a v2 agent reopens with <c>session/resume</c>, baseline in v2.</param>
/// <param name="notices">Where each session is told what became of it.</param>
internal sealed partial class SessionRestorer(
    SessionRegistry sessions,
    ChoiceReplay choices,
    LostSessions lostSessions,
    ILogger<SessionRestorer> log,
    SessionTurns? turns = null,
    IClosedSessions? closedForks = null,
    Events.HostEventBus? events = null,
    TimeProvider? time = null,
    ClientProfile? profile = null,
    INotices? notices = null)
    : IMessageInterceptor
{
    private readonly RestartNotices _telling = new(profile, notices);

    // The session a session/load is replaying right now, if any: sessions are reopened one at a time. A plain field,
    // because Wants runs for every session/update and must cost next to nothing.
    private volatile string? _replaying;
    private volatile byte[]? _initializeParams;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.Initialize, AcpMethods.SessionUpdate];

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) => method == AcpMethods.Initialize || _replaying is not null;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method == AcpMethods.Initialize)
        {
            if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
            {
                _initializeParams = ParamsOf(context.Line.Span);
            }

            return ValueTask.FromResult(InterceptResult.Forward);
        }

        bool replayed = context.Direction == Direction.FromAgent
            && JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.SessionUpdateNotification)?.Params?.SessionId is { } sessionId
            && sessionId == _replaying;
        return ValueTask.FromResult(replayed ? InterceptResult.Consume : InterceptResult.Forward);
    }

    /// <summary>
    /// Restores the new agent; see the class summary. The announcement always comes, also when the restore runs out of
    /// time (<paramref name="cancellationToken"/>, <c>Relay:RestoreTimeout</c>) or the new agent goes: every session not
    /// taken back by then is listed as lost, with that reason for its next use.
    /// </summary>
    public async Task RestoreAsync(IRelayOutlet relay, AgentRestart restart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(restart);
        IReadOnlyCollection<string> interrupted = turns?.AgentReplaced() ?? [];
        using (var ending = new CancellationTokenSource(NoticeTimeout))
        {
            // The turns the dead agent left running end first (ACP v2 waits for their idle state), within their own bound:
            // a client that reads nothing must not use up the restore's time.
            try
            {
                await _telling.EndInterruptedTurnsAsync(relay, interrupted, restart, ending.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ending.IsCancellationRequested)
            {
                TurnEndsNotSent(log, restart.Attempt, interrupted.Count);
            }
        }

        List<string> resumed = [];
        Dictionary<string, string> lost = new(StringComparer.Ordinal);

        // A session lost in an earlier restart is no longer in the registry: the client was told once.
        // A fork the host closed stays closed on the new agent too: it is reopened when it is used, like before.
        var pending = new Queue<SessionInfo>(sessions.All.Where(s => closedForks?.IsClosed(s.SessionId) != true).OrderBy(s => s.OpenedAt));
        void Lose(SessionInfo session, string why)
        {
            lost[session.SessionId] = why;
            sessions.Forget(session.SessionId);
            lostSessions.Add(session.SessionId, $"Session {session.SessionId} was lost when the agent restarted (attempt {restart.Attempt}, "
                + $"the previous agent exited with code {restart.PreviousExit.ExitCode}): {why}. Start a new session or fork another one.");
        }

        try
        {
            if (_initializeParams is { } initializeParams)
            {
                AgentResponse initialized = await relay.RequestAgentAsync(AcpMethods.Initialize, initializeParams, cancellationToken).ConfigureAwait(false);
                string? method = initialized.Result is { } result ? ReopenMethod(result) : null;
                string unopenable = initialized.IsSuccess
                    ? "the agent offers neither session/resume nor session/load"
                    : $"the new agent answered initialize with {Describe(initialized.Error)}";
                await choices.AuthenticateAsync(relay, cancellationToken).ConfigureAwait(false);

                while (pending.TryPeek(out SessionInfo? session))
                {
                    string? why = method is null
                        ? unopenable
                        : await ReopenAsync(relay, method, session, cancellationToken).ConfigureAwait(false);
                    pending.Dequeue();
                    if (why is null)
                    {
                        resumed.Add(session.SessionId);
                        continue;
                    }

                    Lose(session, why);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or AgentUnavailableException)
        {
            // Out of time, or the new agent went too: what was not taken back is lost, and the client is still told.
            string why = ex is OperationCanceledException
                ? "the restore did not finish in time (Relay:RestoreTimeout)"
                : "the new agent was not there to take it back: " + ex.Message;
            RestoreCut(log, restart.Attempt, pending.Count, why);
            while (pending.TryDequeue(out SessionInfo? session))
            {
                Lose(session, why);
            }
        }

        AgentRestarted(log, restart.Attempt, restart.PreviousExit.ExitCode, resumed.Count, lost.Count);
        events?.Publish(new Events.AgentRestarted
        {
            Attempt = restart.Attempt,
            ExitCode = restart.PreviousExit.ExitCode,
            SessionsResumed = resumed.Count,
            LostSessionIds = [.. lost.Keys],
            At = (time ?? TimeProvider.System).GetUtcNow(),
        });
        var notification = new AgentRestartedNotification
        {
            Attempt = restart.Attempt,
            ExitCode = restart.PreviousExit.ExitCode,
            SessionsResumed = resumed.Count,
            SessionsLost = lost.Count,
            LostSessionIds = [.. lost.Keys],
        };

        // Its own bound: the restore's may be spent, and the notice is owed all the same.
        using var notifying = new CancellationTokenSource(NoticeTimeout);
        await relay.NotifyClientAsync(
            AcpMethods.HostAgentRestarted,
            JsonSerializer.SerializeToUtf8Bytes(notification, AcpJsonContext.Default.AgentRestartedNotification),
            notifying.Token).ConfigureAwait(false);
        await _telling.TellAsync(restart, resumed, lost, interrupted, notifying.Token).ConfigureAwait(false);
    }

    // How long the announcement may wait for a client that is not reading.
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Reopens one session and gives it its choices back; null when it is back, else why it is not.</summary>
    private async Task<string?> ReopenAsync(IRelayOutlet relay, string method, SessionInfo session, CancellationToken cancellationToken)
    {
        bool load = method == AcpMethods.SessionLoad;
        if (load)
        {
            _replaying = session.SessionId;
        }

        AgentResponse response;
        try
        {
            response = await relay.RequestAgentAsync(method, ReopenParams(session), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _replaying = null;
        }

        if (!response.IsSuccess)
        {
            SessionLost(log, session.SessionId, method, response.Error?.GetRawText() ?? "");
            return $"the new agent answered {method} with {Describe(response.Error)}";
        }

        await choices.ReplayAsync(relay, session.SessionId, response.Result, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>"error -32002 (Resource not found)", from the agent's error object.</summary>
    private static string Describe(JsonElement? error)
    {
        if (error is not { ValueKind: JsonValueKind.Object } value)
        {
            return "an error";
        }

        string code = value.TryGetProperty("code"u8, out JsonElement c) && c.ValueKind == JsonValueKind.Number ? c.GetRawText() : "?";
        string message = value.TryGetProperty("message"u8, out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        return $"error {code} ({message})";
    }

    /// <summary><c>session/resume</c> when the agent offers it (or speaks ACP v2), else <c>session/load</c>, else null.</summary>
    private static string? ReopenMethod(JsonElement initializeResult)
    {
        // ACP v2 has session/resume in its baseline (and no session/load): its agents do not advertise it.
        if (initializeResult.TryGetProperty("protocolVersion"u8, out JsonElement version) && version.ValueKind == JsonValueKind.Number
            && version.TryGetInt32(out int number) && number >= 2)
        {
            return AcpMethods.SessionResume;
        }

        if (!initializeResult.TryGetProperty("agentCapabilities"u8, out JsonElement capabilities) || capabilities.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (capabilities.TryGetProperty("sessionCapabilities"u8, out JsonElement session) && session.ValueKind == JsonValueKind.Object && session.TryGetProperty("resume"u8, out _))
        {
            return AcpMethods.SessionResume;
        }

        return capabilities.TryGetProperty("loadSession"u8, out JsonElement load) && load.ValueKind == JsonValueKind.True ? AcpMethods.SessionLoad : null;
    }

    private static byte[] ReopenParams(SessionInfo session) => JsonRpcWriter.ToBytes(writer =>
    {
        writer.WriteStartObject();
        SessionTarget.WriteMembers(writer, session.SessionId, session.Cwd, session.McpServers);
        writer.WriteEndObject();
    });

    private static byte[]? ParamsOf(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("params"u8, out JsonElement parameters)
            ? JsonSerializer.SerializeToUtf8Bytes(parameters, AcpJsonContext.Default.JsonElement)
            : null;
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Agent restarted (attempt {Attempt}, the previous one exited with code {ExitCode}): {Resumed} session(s) resumed, {Lost} lost")]
    private static partial void AgentRestarted(ILogger logger, int attempt, int exitCode, int resumed, int lost);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "The restore after restart {Attempt} was cut short ({Reason}): {Count} session(s) not taken back are listed as lost")]
    private static partial void RestoreCut(ILogger logger, int attempt, int count, string reason);

    [LoggerMessage(EventId = 607, Level = LogLevel.Warning, Message = "After restart {Attempt} the client did not take the end of {Count} interrupted turn(s) in time; the restore goes on")]
    private static partial void TurnEndsNotSent(ILogger logger, int attempt, int count);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "The restarted agent did not take session {SessionId} back ({Method}): {Error}")]
    private static partial void SessionLost(ILogger logger, string sessionId, string method, string error);
}
