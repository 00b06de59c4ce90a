using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Notices;

/// <summary>
/// Holds the end of a turn back while a notice is still coming for it (<see cref="NoticeDesk.TurnEnded"/>: a compaction
/// whose counts the host is still reading, the addition to <c>/context</c>), at most
/// <see cref="NoticeDesk.TurnEndBound"/>, so the notice is shown inside the turn it belongs to. The end of a turn is the
/// agent's answer to <c>session/prompt</c> in ACP v1, and its <c>state_update</c> <c>idle</c> in v2 (whose <c>running</c>
/// and <c>idle</c> it also reports to <see cref="SessionTurns"/>). It tells the desk each turn's beginning and end, so the
/// desk knows which notices belong inside a turn. While an end is held, the session's later updates queue behind it, so
/// they keep their order; every other session's pass.
/// </summary>
/// <remarks>Registered after every interceptor that acts on the end of a turn: what it holds back has been through them.</remarks>
internal sealed partial class TurnEndHold(NoticeDesk desk, ClientProfile profile, SessionTurns turns, ILogger<TurnEndHold> log) : IMessageInterceptor
{
    // Prompts in flight by the client's id (v1), to know which session a response ends a turn of. A prompt the agent
    // never answers (it died) would stay: the cap keeps that bounded.
    private const int MaxPrompts = 4096;

    // How long the held lines may take to be written once let go.
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<RequestId, string> _prompts = [];
    private readonly Dictionary<string, Queue<byte[]>> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile int _holding;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionPrompt, AcpMethods.SessionUpdate];

    /// <inheritdoc/>
    /// <remarks>A held session's chunks queue behind its held turn end; when nothing is held, a chunk costs one read.</remarks>
    public bool WantsChunks => true;

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method == AcpMethods.SessionPrompt
            ? !profile.IsV2
            : _holding > 0 || (profile.IsV2 && line.Span.IndexOf("\"state_update\""u8) >= 0);

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method == AcpMethods.SessionPrompt)
        {
            if (context.Info.Id is not { } id)
            {
                return ValueTask.FromResult(InterceptResult.Forward);
            }

            if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
            {
                if (TurnFields.SessionIdOf(context.Line.Span) is { } prompted)
                {
                    // A plain dictionary under the lock: on every turn, a concurrent one would allocate a node per prompt.
                    lock (_lock)
                    {
                        if (_prompts.Count >= MaxPrompts)
                        {
                            _prompts.Clear();
                        }

                        _prompts[id] = prompted;
                    }

                    desk.TurnBegan(prompted, v2: false);
                }
            }
            else if (context.Info.Kind == MessageKind.Response && TakePrompt(id) is { } ended)
            {
                return ValueTask.FromResult(EndOfTurn(ended, context, v2: false));
            }

            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (context.Direction != Direction.FromAgent || TurnFields.SessionIdOf(context.Line.Span) is not { } sessionId)
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        // A state is taken in even when the update queues behind a held one: the turns counted must follow the wire.
        if (profile.IsV2 && context.Line.Span.IndexOf("\"state_update\""u8) >= 0 && ForegroundState(context.Line.Span) is { } state)
        {
            bool idle = state == "idle";
            turns.ForegroundChanged(sessionId, running: !idle);
            if (idle)
            {
                return ValueTask.FromResult(EndOfTurn(sessionId, context, v2: true));
            }

            desk.TurnBegan(sessionId, v2: true);
        }

        return ValueTask.FromResult(QueueBehind(sessionId, context.Line) ? InterceptResult.Consume : InterceptResult.Forward);
    }

    private string? TakePrompt(RequestId id)
    {
        lock (_lock)
        {
            return _prompts.Remove(id, out string? sessionId) ? sessionId : null;
        }
    }

    private InterceptResult EndOfTurn(string sessionId, InterceptContext context, bool v2)
    {
        // Told first, and at once: a notice posted from now on no longer counts as inside this turn, unless its end is held.
        bool hold = desk.TurnEnded(sessionId, v2);
        if (QueueBehind(sessionId, context.Line))
        {
            return InterceptResult.Consume;
        }

        if (!hold)
        {
            return InterceptResult.Forward;
        }

        lock (_lock)
        {
            _held[sessionId] = new Queue<byte[]>([context.Line.ToArray()]);
            _holding = _held.Count;
        }

        TurnEndHeld(log, sessionId);
        IRelayOutlet outlet = context.Outlet;
        _ = Task.Run(() => SettleThenReleaseAsync(sessionId, outlet));
        return InterceptResult.Consume;
    }

    private async Task SettleThenReleaseAsync(string sessionId, IRelayOutlet outlet)
    {
        using (var bounded = new CancellationTokenSource(NoticeDesk.TurnEndBound))
        {
            await desk.SettleTurnAsync(sessionId, bounded.Token).ConfigureAwait(false);
        }

        // Bounded too: a client that stopped reading must not keep this task, and its queue, for ever.
        using var writing = new CancellationTokenSource(ReleaseTimeout);
        while (Next(sessionId) is { } line)
        {
            try
            {
                await outlet.SendToClientAsync(line, writing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                ReleaseFailed(log, ex, sessionId);
            }
        }
    }

    /// <summary>Queues a copy of the line behind the session's held turn end; false when the session is not held.</summary>
    private bool QueueBehind(string sessionId, ReadOnlyMemory<byte> line)
    {
        if (_holding == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_held.TryGetValue(sessionId, out Queue<byte[]>? queue))
            {
                return false;
            }

            queue.Enqueue(line.ToArray());
            return true;
        }
    }

    /// <summary>The next held line, or null once the queue is empty (the session then goes unheld).</summary>
    private byte[]? Next(string sessionId)
    {
        lock (_lock)
        {
            Queue<byte[]> queue = _held[sessionId];
            if (queue.TryDequeue(out byte[]? line))
            {
                return line;
            }

            _held.Remove(sessionId);
            _holding = _held.Count;
            return null;
        }
    }

    /// <summary>The <c>state</c> of a v2 <c>state_update</c>, or null for any other update.</summary>
    private static string? ForegroundState(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("params"u8, out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("update"u8, out JsonElement update) && update.ValueKind == JsonValueKind.Object
            && update.TryGetProperty("sessionUpdate"u8, out JsonElement kind) && kind.ValueEquals("state_update"u8)
            && update.TryGetProperty("state"u8, out JsonElement state) && state.ValueKind == JsonValueKind.String
                ? state.GetString()
                : null;
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Debug, Message = "The end of a turn of {SessionId} waits for its notices")]
    private static partial void TurnEndHeld(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 711, Level = LogLevel.Error, Message = "A held message of {SessionId} could not be relayed")]
    private static partial void ReleaseFailed(ILogger logger, Exception exception, string sessionId);
}
