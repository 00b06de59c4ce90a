using System.IO.Pipelines;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Hosting;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Control;

/// <summary>
/// Answers one control connection: <c>host/status</c>, <c>session/fork</c> and <c>events/subscribe</c>, framed and
/// classified by the same code as the relay, written through one gated writer (responses and events never interleave
/// mid-line).
/// </summary>
public sealed partial class ControlRequestHandler(
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
        var writer = new LineWriter(PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lines = new ControlConnection(this, writer, connection);
        try
        {
            await LinePump.RunAsync(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), new LineFramer(MaxRequestBytes), lines, connection.Token).ConfigureAwait(false);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await lines.StopEventsAsync().ConfigureAwait(false);

            // A peer that reads nothing could hold the final flush forever; closing the socket ends it instead.
            await writer.CompleteAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
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
        Sessions = [.. sessions.All.OrderBy(s => s.OpenedAt).Select(s => new LiveSession
        {
            SessionId = s.SessionId,
            Cwd = s.Cwd,
            UsedTokens = s.UsedTokens,
            ContextWindow = s.ContextWindow,
            Compactions = s.Compactions,
            ParentSessionId = s.ParentSessionId,
            ForkReason = s.ForkReason,
            CreatedAt = s.OpenedAt,
        })],
    };

    /// <summary>Forks a live session for the control endpoint: the reply to send, result or error.</summary>
    internal async Task<(byte[] Json, bool IsError)> ForkAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        ControlForkParams? request;
        try
        {
            request = JsonSerializer.Deserialize(line.Span, ControlJsonContext.Default.ControlForkRequest)?.Params;
        }
        catch (JsonException ex)
        {
            return Error(JsonRpcErrorCodes.InvalidParams, "Invalid params: " + ex.Message);
        }

        if (request?.SessionId is not { Length: > 0 } sessionId)
        {
            return Error(JsonRpcErrorCodes.InvalidParams, "Invalid params: sessionId is required");
        }

        if (sessions.Find(sessionId) is null)
        {
            return Error(ControlErrorCodes.SessionNotFound, $"Session {sessionId} is not relayed by this host", sessionId);
        }

        if (client.Outlet is not { } outlet)
        {
            return Error(JsonRpcErrorCodes.InternalError, "The agent is not running yet");
        }

        try
        {
            ForkResult result = await forks.ForkAsync(new ForkRequest(sessionId, ForkReasons.Control, request.MessageId), outlet, cancellationToken).ConfigureAwait(false);
            return result.Succeeded
                ? (JsonSerializer.SerializeToUtf8Bytes(new ControlForkResult { SessionId = result.SessionId!, ParentSessionId = sessionId }, ControlJsonContext.Default.ControlForkResult), false)
                : (JsonSerializer.SerializeToUtf8Bytes(result.Error!.Value, ControlJsonContext.Default.JsonElement), true);
        }
        catch (AgentUnavailableException ex)
        {
            return Error(JsonRpcErrorCodes.InternalError, "The agent is gone: " + ex.Message);
        }
    }

    internal HostEventBus Events => events;

    internal ILogger Log => log;

    private static (byte[] Json, bool IsError) Error(int code, string message, string? sessionId = null)
    {
        Action<Utf8JsonWriter>? data = sessionId is null ? null : writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("sessionId"u8, sessionId);
            writer.WriteEndObject();
        };
        return (JsonRpcWriter.ToBytes(writer => JsonRpcWriter.WriteErrorObject(writer, code, message, data)), true);
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Dropped a control subscriber that fell behind")]
    internal static partial void SubscriberDropped(ILogger logger);
}
