using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Fork;

/// <summary>
/// Keeps the forks the host makes itself (<c>/fork</c>, before auto-compact, the control endpoint) from costing an
/// agent process each: the agent runs one <c>claude</c> per open session, so such a fork is closed on the agent
/// (<c>session/close</c>, when its <c>initialize</c> offers <c>sessionCapabilities.close</c>, or speaks ACP v2) right after it is made.
/// It stays on disk. When the client later sends a message that needs it open (a prompt, a mode or model change)
/// without opening it itself, the host first reopens it with <c>session/resume</c> while the <see cref="SessionGate"/>
/// holds that session's messages, so "prompt the fork at once" keeps working. A client that opens, closes or deletes
/// it itself takes it over: the host forgets it closed it. <c>Fork:CloseHostForks=false</c> keeps such forks open.
/// </summary>
internal sealed partial class ClosedForks(SessionRegistry sessions, SessionGate gate, ILogger<ClosedForks> log, IOptions<ForkOptions>? options = null) : IMessageInterceptor, IClosedSessions
{
    // Messages that need the session open on the agent. A cancel has nothing to stop in a closed session; a fork, a
    // close, a delete, a load and a resume all work from the transcript on disk.
    private static readonly HashSet<string> NeedOpen = new(StringComparer.Ordinal)
    {
        AcpMethods.SessionPrompt, AcpMethods.SessionSetMode, AcpMethods.SessionSetModel, AcpMethods.SessionSetConfigOption, AcpMethods.SessionSetTitle,
    };

    private static readonly HashSet<string> TakeOver = new(StringComparer.Ordinal)
    {
        AcpMethods.SessionResume, AcpMethods.SessionLoad, AcpMethods.SessionClose, AcpMethods.SessionDelete,
    };

    // Each closed fork, with its session/close (done or in flight), which a reopen waits for.
    private readonly ConcurrentDictionary<string, Task> _closed = new(StringComparer.Ordinal);

    // Forks being reopened: a reopen that fails leaves its fork known as closed (the next message tries again), unless
    // the client took the fork over meanwhile.
    private readonly ConcurrentDictionary<string, byte> _reopening = new(StringComparer.Ordinal);
    private volatile bool _agentCloses;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.Initialize];

    /// <summary>True when the host closed the session on the agent and nobody has opened it since.</summary>
    public bool IsClosed(string sessionId) => _closed.ContainsKey(sessionId);

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction == Direction.FromAgent && context.Info.Kind == MessageKind.Response)
        {
            var result = JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.ResponseEnvelopeInitializeResult)?.Result;
            // ACP v2 has session/close and session/resume in its baseline: its agents advertise neither.
            _agentCloses = result?.ProtocolVersion >= 2
                || result?.AgentCapabilities?.SessionCapabilities is { Close: { ValueKind: JsonValueKind.Object }, Resume: { ValueKind: JsonValueKind.Object } };
        }

        return ValueTask.FromResult(InterceptResult.Forward);
    }

    /// <summary>Closes a fork the host just made, when the agent can close and resume sessions; holds its messages meanwhile.</summary>
    public async Task CloseAsync(string sessionId, IRelayOutlet outlet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outlet);
        if (!_agentCloses || options?.Value.CloseHostForks == false)
        {
            return;
        }

        var closing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _closed[sessionId] = closing.Task;
        using IDisposable hold = gate.Hold(sessionId);
        try
        {
            AgentResponse response = await outlet.RequestAgentAsync(AcpMethods.SessionClose, SessionOnly(sessionId), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                ForkClosed(log, sessionId);
            }
            else
            {
                _closed.TryRemove(sessionId, out _);
                CloseFailed(log, sessionId, response.Error?.GetRawText() ?? "");
            }
        }
        catch (Exception ex) when (ex is AgentUnavailableException or OperationCanceledException)
        {
            _closed.TryRemove(sessionId, out _);
            CloseFailed(log, sessionId, ex.Message);
        }
        finally
        {
            closing.SetResult();
        }
    }

    /// <summary>
    /// Called by the <see cref="SessionGate"/> for each client message naming a session, before it decides: starts
    /// the reopening of a closed fork the message needs open (the gate then holds the message until it is done), or
    /// forgets a fork the client opens or closes itself. True when a reopen started.
    /// </summary>
    public bool BeforeHold(string method, string sessionId, IRelayOutlet outlet)
    {
        if (TakeOver.Contains(method))
        {
            _closed.TryRemove(sessionId, out _);
            _reopening.TryRemove(sessionId, out _);
            return false;
        }

        if (!NeedOpen.Contains(method) || !_closed.TryRemove(sessionId, out Task? closing))
        {
            return false;
        }

        _reopening[sessionId] = 0;
        IDisposable hold = gate.Hold(sessionId);
        _ = ReopenAsync(sessionId, method, closing, outlet, hold);
        return true;
    }

    private async Task ReopenAsync(string sessionId, string method, Task closing, IRelayOutlet outlet, IDisposable hold)
    {
        using (hold)
        {
            await closing.ConfigureAwait(false);
            SessionInfo? session = sessions.Find(sessionId);
            if (session is null)
            {
                _reopening.TryRemove(sessionId, out _);
                return;
            }

            Reopening(log, sessionId, method);
            bool reopened = false;
            byte[] parameters = JsonRpcWriter.ToBytes(writer =>
            {
                writer.WriteStartObject();
                SessionTarget.WriteMembers(writer, sessionId, session.Cwd, session.McpServers);
                writer.WriteEndObject();
            });
            try
            {
                using var bounded = new CancellationTokenSource(gate.HoldTimeout);
                AgentResponse response = await outlet.RequestAgentAsync(AcpMethods.SessionResume, parameters, bounded.Token).ConfigureAwait(false);
                reopened = response.IsSuccess;
                if (!reopened)
                {
                    ReopenFailed(log, sessionId, response.Error?.GetRawText() ?? "");
                }
            }
            catch (Exception ex) when (ex is AgentUnavailableException or OperationCanceledException)
            {
                ReopenFailed(log, sessionId, ex.Message);
            }

            // Still closed on the agent after a failed reopen: known as such before the held messages go on, so the next
            // one tries again (forgetting it left every later message to the agent's -32002). Not if the client took
            // the fork over meanwhile.
            if (_reopening.TryRemove(sessionId, out _) && !reopened)
            {
                _closed[sessionId] = Task.CompletedTask;
            }
        }
    }

    private static byte[] SessionOnly(string sessionId) => JsonRpcWriter.ToBytes(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("sessionId"u8, sessionId);
        writer.WriteEndObject();
    });

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Fork {SessionId} closed on the agent (it stays on disk; the host reopens it when it is used)")]
    private static partial void ForkClosed(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 421, Level = LogLevel.Warning, Message = "Could not close fork {SessionId} on the agent: {Error}; it stays open")]
    private static partial void CloseFailed(ILogger logger, string sessionId, string error);

    [LoggerMessage(EventId = 422, Level = LogLevel.Information, Message = "Reopening fork {SessionId} on the agent for the client's {Method}")]
    private static partial void Reopening(ILogger logger, string sessionId, string method);

    [LoggerMessage(EventId = 423, Level = LogLevel.Warning, Message = "Could not reopen fork {SessionId} on the agent: {Error}; the client's message goes on and gets the agent's answer, and the next one tries the reopen again")]
    private static partial void ReopenFailed(ILogger logger, string sessionId, string error);
}
