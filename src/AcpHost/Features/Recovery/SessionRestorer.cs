using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Recovery;

/// <summary>
/// Puts a restarted agent back where the client left the old one: it replays the client's own <c>initialize</c>
/// params, reopens every session the client had with <c>session/resume</c> (or <c>session/load</c> when the agent
/// offers no resume) with the cwd and MCP servers it was opened with, so the client's session ids keep working, and
/// announces <c>_acphost/agent_restarted</c>. A <c>session/load</c> replays the conversation as updates; the client
/// already has it, so those are not forwarded. Forks the host closed on the agent stay closed. A session the agent will not take back is counted as lost: its next use
/// gets the agent's own error, nothing silent.
/// </summary>
public sealed partial class SessionRestorer(SessionRegistry sessions, ILogger<SessionRestorer> log, Fork.ClosedForks? closedForks = null) : IMessageInterceptor
{
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

    /// <summary>Restores the new agent; see the class summary.</summary>
    public async Task RestoreAsync(IRelayOutlet relay, AgentRestart restart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(restart);
        int resumed = 0;
        int lost = 0;
        if (_initializeParams is { } initializeParams)
        {
            AgentResponse initialized = await relay.RequestAgentAsync(AcpMethods.Initialize, initializeParams, cancellationToken).ConfigureAwait(false);
            string? method = initialized.Result is { } result ? ReopenMethod(result) : null;
            // A fork the host closed stays closed on the new agent too: it is reopened when it is used, like before.
            foreach (SessionInfo session in sessions.All.Where(s => closedForks?.IsClosed(s.SessionId) != true))
            {
                if (method is not null && await ReopenAsync(relay, method, session, cancellationToken).ConfigureAwait(false))
                {
                    resumed++;
                }
                else
                {
                    lost++;
                }
            }
        }

        AgentRestarted(log, restart.Attempt, restart.PreviousExit.ExitCode, resumed, lost);
        var notification = new AgentRestartedNotification { Attempt = restart.Attempt, ExitCode = restart.PreviousExit.ExitCode, SessionsResumed = resumed, SessionsLost = lost };
        await relay.NotifyClientAsync(
            AcpMethods.HostAgentRestarted,
            JsonSerializer.SerializeToUtf8Bytes(notification, RecoveryJsonContext.Default.AgentRestartedNotification),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ReopenAsync(IRelayOutlet relay, string method, SessionInfo session, CancellationToken cancellationToken)
    {
        bool load = method == AcpMethods.SessionLoad;
        if (load)
        {
            _replaying = session.SessionId;
        }

        try
        {
            AgentResponse response = await relay.RequestAgentAsync(method, ReopenParams(session), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                SessionLost(log, session.SessionId, method, response.Error?.GetRawText() ?? "");
            }

            return response.IsSuccess;
        }
        finally
        {
            _replaying = null;
        }
    }

    /// <summary><c>session/resume</c> when the agent offers it, else <c>session/load</c>, else null.</summary>
    private static string? ReopenMethod(JsonElement initializeResult)
    {
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
        var reader = new Utf8JsonReader(line);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("params"u8, out JsonElement parameters)
            ? JsonSerializer.SerializeToUtf8Bytes(parameters, AcpJsonContext.Default.JsonElement)
            : null;
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Agent restarted (attempt {Attempt}, the previous one exited with code {ExitCode}): {Resumed} session(s) resumed, {Lost} lost")]
    private static partial void AgentRestarted(ILogger logger, int attempt, int exitCode, int resumed, int lost);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "The restarted agent did not take session {SessionId} back ({Method}): {Error}")]
    private static partial void SessionLost(ILogger logger, string sessionId, string method, string error);
}
