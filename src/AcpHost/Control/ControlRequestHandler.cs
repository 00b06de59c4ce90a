using AcpHost.Events;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Settings;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamJsonRpc;

namespace AcpHost.Control;

/// <summary>
/// Answers one control connection: <c>host/status</c>, <c>session/fork</c> and <c>events/subscribe</c> on a
/// <see cref="ControlRpc"/> (StreamJsonRpc), with the features' state and the fork service behind them.
/// </summary>
internal sealed partial class ControlRequestHandler(
    IOptions<HostSettings> settings,
    HostState state,
    SessionRegistry sessions,
    ForkService forks,
    ClientChannel client,
    HostEventBus events,
    TimeProvider time,
    ILogger<ControlRequestHandler> log)
{
    private const long MaxRequestBytes = 1024 * 1024;

    /// <summary>Serves requests on <paramref name="stream"/> until the peer closes it or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ServeAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ControlRpc rpc = ControlRpc.Create(stream, MaxRequestBytes, answerBadInput: true);
        var served = new ControlConnection(this, rpc, connection);
        try
        {
            served.Register();
            rpc.StartListening();

            // Stopping: disposing closes the pipe, so a write stuck on a peer that reads nothing ends too.
            using (connection.Token.Register(rpc.Dispose))
            {
                await rpc.Completion.ConfigureAwait(false);
            }
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            rpc.Dispose();
            await served.StopEventsAsync().ConfigureAwait(false);
        }
    }

    internal HostStatus Status() => new()
    {
        Pid = Environment.ProcessId,
        AgentPid = state.AgentPid,
        Agent = state.Agent,
        StartedAt = state.StartedAt,
        UptimeSeconds = Math.Round((time.GetUtcNow() - state.StartedAt).TotalSeconds, 1),
        DataDir = settings.Value.DataDir,
        Cwd = Environment.CurrentDirectory,
        Sessions = [.. sessions.All.OrderBy(s => s.OpenedAt).Select(s => s.ToRecord())],
    };

    /// <summary>Forks a live session for the control endpoint; a refusal is thrown as the JSON-RPC error to answer with.</summary>
    internal async Task<ControlForkResult> ForkAsync(ControlForkParams? request, CancellationToken cancellationToken)
    {
        if (request?.SessionId is not { Length: > 0 } sessionId)
        {
            throw new LocalRpcException("Invalid params: sessionId is required") { ErrorCode = JsonRpcErrorCodes.InvalidParams };
        }

        if (sessions.Find(sessionId) is null)
        {
            throw new LocalRpcException($"Session {sessionId} is not relayed by this host") { ErrorCode = ControlErrorCodes.SessionNotFound, ErrorData = new SessionErrorData(sessionId) };
        }

        if (client.Outlet is not { } outlet)
        {
            throw new LocalRpcException("The agent is not running yet") { ErrorCode = JsonRpcErrorCodes.InternalError };
        }

        ForkResult result;
        try
        {
            result = await forks.ForkAsync(new ForkRequest(sessionId, ForkReasons.Control, request.MessageId), outlet, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentUnavailableException ex)
        {
            throw new LocalRpcException("The agent is gone: " + ex.Message) { ErrorCode = JsonRpcErrorCodes.InternalError };
        }

        if (!result.Succeeded)
        {
            // Said here as well: whoever asked is another program, and the host's log should tell the same story.
            ForkRefused(log, sessionId, result.Error!.Value.GetRawText());
            throw AgentRefusal(result.Error!.Value);
        }

        return new ControlForkResult { SessionId = result.SessionId!, ParentSessionId = sessionId };
    }

    // The agent's own error, passed on with its code, message and data.
    private static LocalRpcException AgentRefusal(JsonElement error)
    {
        int code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out JsonElement c) && c.TryGetInt32(out int number) ? number : JsonRpcErrorCodes.InternalError;
        string message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "The agent refused the fork";
        object? data = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("data", out JsonElement d) ? d.Clone() : null;
        return new LocalRpcException(message) { ErrorCode = code, ErrorData = data };
    }

    internal HostEventBus Events => events;

    internal ILogger Log => log;

    [LoggerMessage(EventId = 512, Level = LogLevel.Warning, Message = "The agent refused to fork {SessionId} for a control client: {Error}")]
    private static partial void ForkRefused(ILogger logger, string sessionId, string error);

    [LoggerMessage(EventId = 511, Level = LogLevel.Information, Message = "A control client subscribed to events")]
    internal static partial void Subscribed(ILogger logger);

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "A control subscriber fell behind: {Count} event(s) were not kept for it (it is told so)")]
    internal static partial void SubscriberLagged(ILogger logger, int count);
}
