using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Fork;

/// <summary>
/// Holds the client's messages for one session while the host works on that session first (a fork before
/// auto-compact, the reopening of a fork it closed), and lets them go in order when it is done. Only that session
/// waits: the client's other messages, other sessions' included, go on at once, so a host-originated fork or reopen
/// never blocks the relay. Every hold ends within <see cref="HoldTimeout"/>, and a session's queue is bounded: past
/// either, the held messages go on regardless (logged), because a user's turn must never be lost to the host's work.
/// </summary>
internal sealed partial class SessionGate : IMessageInterceptor
{
    /// <summary>The longest a session's messages wait for the host's work on it.</summary>
    public static readonly TimeSpan DefaultHoldTimeout = TimeSpan.FromSeconds(60);

    private readonly HeldLines _held = new(maxLines: 1024, maxBytes: 64L * 1024 * 1024);
    private readonly ClientChannel _client;
    private readonly ILogger<SessionGate> _log;
    private readonly Func<string, string, IRelayOutlet, bool>? _beforeHold;

    /// <summary>Creates the gate.</summary>
    /// <param name="client">The relay, to let held messages go.</param>
    /// <param name="log">The log.</param>
    /// <param name="beforeHold">
    /// Called with each client message's method and session before the gate looks at it, so a feature can start work
    /// that holds the session (the reopening of a closed fork) in time for this very message to wait for it.
    /// </param>
    /// <param name="holdTimeout">The longest a hold lasts; default <see cref="DefaultHoldTimeout"/>.</param>
    public SessionGate(ClientChannel client, ILogger<SessionGate> log, Func<string, string, IRelayOutlet, bool>? beforeHold = null, TimeSpan? holdTimeout = null)
    {
        _client = client;
        _log = log;
        _beforeHold = beforeHold;
        HoldTimeout = holdTimeout ?? DefaultHoldTimeout;
    }

    /// <summary>The longest a hold lasts.</summary>
    public TimeSpan HoldTimeout { get; }

    /// <inheritdoc/>
    /// <remarks>Every client method that names one session and that the agent handles for that session.</remarks>
    public IReadOnlyCollection<string> Methods { get; } =
    [
        AcpMethods.SessionPrompt, AcpMethods.SessionCancel, AcpMethods.SessionSetMode, AcpMethods.SessionSetModel,
        AcpMethods.SessionSetConfigOption, AcpMethods.SessionSetTitle, AcpMethods.SessionLoad, AcpMethods.SessionResume, AcpMethods.SessionClose,
        AcpMethods.SessionDelete, AcpMethods.SessionFork, AcpMethods.HostSessionFork,
    ];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) => _beforeHold is not null || _held.Any;

    /// <summary>Holds the session's messages until the returned handle is disposed, or <see cref="HoldTimeout"/> at most.</summary>
    public IDisposable Hold(string sessionId)
    {
        _held.Hold(sessionId);
        var hold = new HoldHandle(this, sessionId);
        _ = Task.Delay(HoldTimeout).ContinueWith(_ => hold.Expire(), TaskScheduler.Default);
        return hold;
    }

    /// <summary>True when the session's messages are being held or let go.</summary>
    public bool IsHeld(string sessionId) => _held.IsHeld(sessionId);

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction != Direction.FromClient || context.Info.Kind is not (MessageKind.Request or MessageKind.Notification)
            || SessionOf(context.Line.Span) is not { } sessionId)
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        _beforeHold?.Invoke(context.Method, sessionId, context.Outlet);
        switch (_held.Enqueue(sessionId, context.Line))
        {
            case null:
                return ValueTask.FromResult(InterceptResult.Forward);
            case false:
                QueueFull(_log, sessionId);
                _ = LetGoAsync(sessionId, all: true);
                break;
            default:
                MessageHeld(_log, context.Method, sessionId);
                break;
        }

        // Held, not consumed: a request waiting here is in flight as much as one the agent has, and is answered like
        // one if the relay ends before it is let go.
        return ValueTask.FromResult(InterceptResult.Hold);
    }

    private static string? SessionOf(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, AcpJsonContext.Default.RequestEnvelopeSessionParams)?.Params?.SessionId;
        }
        catch (JsonException)
        {
            // Malformed params are the agent's to reject; the gate lets such a message pass as it came.
            return null;
        }
    }

    private async Task LetGoAsync(string sessionId, bool all)
    {
        await _held.ReleaseAsync(sessionId, async line =>
        {
            if (_client.Outlet is not { } outlet)
            {
                return;
            }

            try
            {
                await outlet.ResumeClientMessageAsync(line, this, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                ReleaseFailed(_log, ex, sessionId);
            }
        }, all).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Debug, Message = "{Method} for {SessionId} waits: the host is working on that session")]
    private static partial void MessageHeld(ILogger logger, string method, string sessionId);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Too many messages wait for {SessionId}; they go on now without waiting for the host's work on it")]
    private static partial void QueueFull(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "The host's work on {SessionId} took longer than {Timeout}; its held messages go on now")]
    private static partial void HoldExpired(ILogger logger, string sessionId, TimeSpan timeout);

    [LoggerMessage(EventId = 223, Level = LogLevel.Error, Message = "A held message for {SessionId} could not be relayed")]
    private static partial void ReleaseFailed(ILogger logger, Exception exception, string sessionId);

    private sealed class HoldHandle(SessionGate gate, string sessionId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _ = gate.LetGoAsync(sessionId, all: false);
            }
        }

        public void Expire()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                HoldExpired(gate._log, sessionId, gate.HoldTimeout);
                _ = gate.LetGoAsync(sessionId, all: false);
            }
        }
    }
}
