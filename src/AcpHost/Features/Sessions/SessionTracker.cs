using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Sessions;

/// <summary>
/// Learns the sessions from the traffic and says at Information what happens to them: which agent answered
/// <c>initialize</c>, every session created, loaded, resumed or forked (with its working directory), each session's
/// context fill from its <c>usage_update</c>s, and a session the client closed or deleted, which is forgotten (no
/// longer live for <c>acphost ps</c>, not reopened after a restart); and what the client negotiated
/// (<see cref="ClientProfile"/>). Observes only; every message goes on unchanged.
/// </summary>
internal sealed partial class SessionTracker(SessionRegistry registry, TimeProvider time, ILogger<SessionTracker> log, HostState? host = null, ClientProfile? profile = null)
    : IMessageInterceptor
{
    // Params of session requests in flight, by the client's id, so the response can be logged with its cwd.
    // Entries leave with their response; at most as many as the client has requests in flight.
    private readonly ConcurrentDictionary<RequestId, SessionParams> _inFlight = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } =
    [
        AcpMethods.Initialize, AcpMethods.SessionNew, AcpMethods.SessionLoad, AcpMethods.SessionResume, AcpMethods.SessionFork, AcpMethods.SessionUpdate,
        AcpMethods.SessionClose, AcpMethods.SessionDelete,
    ];

    /// <inheritdoc/>
    /// <remarks>Usage comes in <c>usage_update</c>, never in a chunk of text.</remarks>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    /// <remarks>Of the many <c>session/update</c>s only <c>usage_update</c> matters here.</remarks>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method != AcpMethods.SessionUpdate || line.Span.IndexOf("\"usage_update\""u8) >= 0;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method == AcpMethods.SessionUpdate)
        {
            RecordUsage(context.Line.Span);
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (context.Info.Id is not { } id)
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (context.Info.Kind == MessageKind.Request && context.Direction == Direction.FromClient)
        {
            if (context.Method == AcpMethods.Initialize)
            {
                profile?.ClientInitializing(JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.RequestEnvelopeInitializeParams)?.Params?.DeclaresNotices == true);
            }
            else
            {
                var request = JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.RequestEnvelopeSessionParams);
                _inFlight[id] = request?.Params ?? new SessionParams();
            }
        }
        else if (context.Info.Kind == MessageKind.Response && context.Direction == Direction.FromAgent)
        {
            if (context.Method == AcpMethods.Initialize)
            {
                LogInitialized(context.Line.Span);
            }
            else
            {
                _inFlight.TryRemove(id, out SessionParams? request);
                LogSession(context.Method, request ?? new SessionParams(), context.Line.Span);
            }
        }

        return ValueTask.FromResult(InterceptResult.Forward);
    }

    private void LogInitialized(ReadOnlySpan<byte> line)
    {
        var response = JsonSerializer.Deserialize(line, AcpJsonContext.Default.ResponseEnvelopeInitializeResult);
        if (response?.Result is { } result)
        {
            AgentInitialized(log, result.Agent?.Name ?? "(unnamed)", result.Agent?.Version ?? "(no version)", result.ProtocolVersion ?? 0);
            profile?.Negotiated(result.ProtocolVersion ?? 1);
            host?.AgentIdentified(result.Agent?.Name ?? "(unnamed)", result.Agent?.Version ?? "(no version)");
        }
        else if (response?.Error is { } error)
        {
            RequestFailed(log, AcpMethods.Initialize, error.Code, error.Message ?? "");
        }
    }

    private void LogSession(string method, SessionParams request, ReadOnlySpan<byte> line)
    {
        var response = JsonSerializer.Deserialize(line, AcpJsonContext.Default.ResponseEnvelopeSessionResult);
        if (response?.Error is { } error)
        {
            RequestFailed(log, method, error.Code, error.Message ?? "");
            return;
        }

        if (method is AcpMethods.SessionClose or AcpMethods.SessionDelete)
        {
            // The agent let go of it: it is no longer live here, and a restarted agent must not be made to reopen it.
            if (request.SessionId is { } closed && registry.Find(closed) is not null)
            {
                registry.Forget(closed);
                SessionGone(log, closed, method);
            }

            return;
        }

        string sessionId = response?.Result?.SessionId ?? request.SessionId ?? "(unknown)";
        string cwd = request.Cwd ?? "(no cwd)";
        if (response?.Result is not null && request.Cwd is not null && sessionId != "(unknown)")
        {
            bool fork = method == AcpMethods.SessionFork;
            registry.Open(new SessionInfo(sessionId, request.Cwd, time.GetUtcNow(), method, fork ? request.SessionId : null)
            {
                ForkReason = fork ? ForkReasons.Client : null,
                ForkUsedTokens = fork && request.SessionId is { } parent ? registry.Find(parent)?.UsedTokens : null,
                McpServers = request.McpServers?.Clone(),
            });

            // Forks are logged and announced by the lineage recorder, whoever made them.
            if (fork)
            {
                return;
            }
        }

        switch (method)
        {
            case AcpMethods.SessionNew:
                SessionCreated(log, sessionId, cwd);
                break;
            default:
                SessionOpened(log, sessionId, method, cwd);
                break;
        }
    }

    // Several times a turn: read without the serializer, which would allocate about a kilobyte for each.
    private void RecordUsage(ReadOnlySpan<byte> line)
    {
        if (TurnFields.UsageOf(line) is { } usage)
        {
            registry.RecordUsage(usage.SessionId, usage.Used, usage.Size);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Agent initialized: {AgentName} {AgentVersion}, protocol version {ProtocolVersion}")]
    private static partial void AgentInitialized(ILogger logger, string agentName, string agentVersion, int protocolVersion);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Session created: {SessionId} (cwd {Cwd})")]
    private static partial void SessionCreated(ILogger logger, string sessionId, string cwd);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Session opened: {SessionId} by {Method} (cwd {Cwd})")]
    private static partial void SessionOpened(ILogger logger, string sessionId, string method, string cwd);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Session gone: {SessionId} ({Method} answered)")]
    private static partial void SessionGone(ILogger logger, string sessionId, string method);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "{Method} failed at the agent: {Code} {Message}")]
    private static partial void RequestFailed(ILogger logger, string method, int code, string message);
}
