using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Diagnostics;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Catches every compaction of every relayed session, whatever the client: it reads the live signals off
/// <c>session/update</c>, follows the sessions' transcripts for the counts the wire lacks, and for each compaction
/// writes one ledger record, one log line and one <c>_acphost/compaction</c> notification to the client. Recording
/// happens on a background loop, so the agent's messages are never held up by a disk write. The loops start in
/// <see cref="StartAsync"/> and end in <see cref="StopAsync"/>, after the relay's own service has stopped.
/// </summary>
public sealed partial class CompactionRecorder : IMessageInterceptor, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    // The agent stamps transcript lines with its own clock; allow for a little disagreement with the host's.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    private readonly SessionRegistry _sessions;
    private readonly CompactionLedger _ledger;
    private readonly CompactionOptions _options;
    private readonly ILogger<CompactionRecorder> _log;
    private readonly CompactionTracker _tracker;
    private readonly TimeProvider _time;
    private readonly string _claudeConfigDir;
    private readonly ConcurrentDictionary<string, TranscriptTail> _tails = new(StringComparer.Ordinal);
    private readonly SessionTurns _turns;
    // Sessions whose turn ended since the last poll: a set, not a queue, so a thousand turns between two polls hold
    // one entry, and adding a session already due allocates nothing.
    private readonly ConcurrentDictionary<string, byte> _sweeps = new(StringComparer.Ordinal);
    private readonly Channel<TrackerAction> _toRecord = Channel.CreateBounded<TrackerAction>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _transcriptGate = new(1, 1);
    private Task _recording = Task.CompletedTask;
    private Task _polling = Task.CompletedTask;
    private int _started;
    private readonly HostEventBus? _events;
    private readonly LogGate _unusable = new(20, TimeSpan.FromSeconds(10));
    private readonly LogGate _queueFull = new(20, TimeSpan.FromSeconds(10));
    private volatile IRelayOutlet? _outlet;
    private int _disposed;

    /// <summary>Creates the recorder; its background loops start with <see cref="StartAsync"/>.</summary>
    /// <param name="sessions">The relayed sessions.</param>
    /// <param name="ledger">Where records go.</param>
    /// <param name="options">The settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">The log.</param>
    /// <param name="events">The control plane's event feed, if any.</param>
    /// <param name="turns">Which sessions are in a turn; shared with the agent recovery, which voids them (its own when null).</param>
    /// <param name="notices">Where each compaction is told to the user, if anywhere.</param>
    /// <param name="history">The sessions' forks, to name the one that kept what a compaction flattened.</param>
    public CompactionRecorder(
        SessionRegistry sessions, CompactionLedger ledger, IOptions<CompactionOptions> options, TimeProvider time, ILogger<CompactionRecorder> log,
        HostEventBus? events = null, SessionTurns? turns = null, INotices? notices = null, SessionHistory? history = null)
    {
        _notices = notices;
        _history = history;
        _turns = turns ?? new SessionTurns();
        _events = events;
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        _sessions = sessions;
        _ledger = ledger;
        _options = options.Value;
        _log = log;
        _time = time;
        _tracker = new CompactionTracker(time, _options.TranscriptWait, _turns);
        _claudeConfigDir = TranscriptPaths.ConfigDir(_options.ClaudeConfigDir);
        _flattened = new FlattenedWatch((sessionId, boundary, flattened) => Enqueue(_tracker.ObserveFlattened(sessionId, boundary, flattened)), _options.PollInterval, time, log);
        _sessions.SessionOpened += StartFollowing;
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionUpdate, AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    /// <remarks>
    /// Compaction is signalled by tool calls, <c>compaction_update</c> and metadata, never by a chunk of text (a chunk
    /// that talks about compacting is the model's prose).
    /// </remarks>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    /// <remarks>Every compaction signal has "compact" in it; chunks of text and most other updates do not.</remarks>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method != AcpMethods.SessionUpdate || line.Span.IndexOf("compact"u8) >= 0;

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _outlet ??= context.Outlet;
        if (context.Method == AcpMethods.SessionPrompt)
        {
            NotePrompt(context);
            return InterceptResult.Forward;
        }

        if (context.Direction != Direction.FromAgent || context.Info.Kind != MessageKind.Notification)
        {
            return InterceptResult.Forward;
        }

        SessionUpdateParams? update = JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.SessionUpdateNotification)?.Params;
        if (update is not { SessionId: { } sessionId, Update: { } body } || CompactionSignalReader.Read(sessionId, body) is not { } signal)
        {
            return InterceptResult.Forward;
        }

        if (sessionId.Length == 0)
        {
            // No record can name no session (the ledger refuses it); the agent's message goes on as it came.
            GatedLog.Write(_log, _unusable, "compaction signal without a session id", 0, static (log, _) => SignalWithoutSession(log));
            return InterceptResult.Forward;
        }

        Enqueue(_tracker.Observe(signal, WindowOf(sessionId)));
        WakePoll();
        _flattened.Expect(sessionId);
        ExpectNotice(sessionId, signal);

        if (body.Kind != "compaction_update" || signal.Phase != SignalPhase.Completed || signal.Key is null)
        {
            return InterceptResult.Forward;
        }

        // The client declared compaction support, so the wire gives it no counts. If the transcript already has them
        // (a small read of what was appended), they travel with the agent's own message; nothing is waited for.
        CompactionRecord? known = _tracker.KnownFacts(sessionId, signal.Key);
        if (known is null)
        {
            await ReadTranscriptAsync(sessionId, cancellationToken).ConfigureAwait(false);
            known = _tracker.KnownFacts(sessionId, signal.Key);
        }

        return known is null ? InterceptResult.Forward : InterceptResult.Replace(CompactionNotices.WithAcphostMeta(context.Line, known));
    }

    /// <inheritdoc/>
    /// <summary>Starts the recording loop and the transcript poll.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _recording = Task.Run(RecordLoopAsync, CancellationToken.None);
            _polling = Task.Run(PollLoopAsync, CancellationToken.None);
            _flattened.Start();
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops polling, takes a last look at every transcript and records what is still waiting (bounded).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Never started (a host that failed before its services started): what was queued is still recorded.
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _recording = Task.Run(RecordLoopAsync, CancellationToken.None);
        }

        _sessions.SessionOpened -= StartFollowing;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
        await _flattened.DisposeAsync().ConfigureAwait(false);

        // Last look at every transcript, then record whatever ended and is still waiting.
        foreach (string sessionId in _tails.Keys)
        {
            await ReadTranscriptAsync(sessionId, CancellationToken.None).ConfigureAwait(false);
        }

        Enqueue(_tracker.Flush());
        _toRecord.Writer.TryComplete();
        await _recording.WaitAsync(FinalFlushTimeout).ConfigureAwait(false);
        await ToldAsync(FinalFlushTimeout).ConfigureAwait(false);
        _stopping.Dispose();
        _transcriptGate.Dispose();
    }

    private void StartFollowing(SessionInfo session)
    {
        var tail = new TranscriptTail(() => TranscriptPaths.Find(_claudeConfigDir, session.Cwd, session.SessionId));
        if (_tails.TryAdd(session.SessionId, tail))
        {
            tail.Start();
            _flattened.Follow(session.SessionId, () => TranscriptPaths.Find(_claudeConfigDir, session.Cwd, session.SessionId));
        }
    }

    private void NotePrompt(InterceptContext context)
    {
        if (context.Info.Id is not { } id)
        {
            return;
        }

        if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
        {
            // Only a line that mentions /compact has its prompt's text decoded; for the others the session id is enough,
            // read without the serializer, which would allocate about a kilobyte per turn (issue 15).
            ReadOnlySpan<byte> line = context.Line.Span;
            if (line.IndexOf("/compact"u8) >= 0)
            {
                if (JsonSerializer.Deserialize(line, AcpJsonContext.Default.RequestEnvelopePromptParams)?.Params is { SessionId: { } sessionId } prompt)
                {
                    _turns.PromptSent(id, sessionId, IsCompactCommand(prompt));
                }
            }
            else if (TurnFields.SessionIdOf(line) is { } sessionId)
            {
                _turns.PromptSent(id, sessionId, isCompact: false);
            }
        }
        else if (context.Info.Kind == MessageKind.Response && _turns.PromptAnswered(id) is { } sessionId)
        {
            // A turn ended: look at its transcript for any compaction the wire did not report.
            _sweeps.TryAdd(sessionId, 0);
            WakePoll();
            _flattened.Wake(sessionId);
        }
    }

    // The agent reads a slash command from the first block's first word, as Claude Code does.
    private static bool IsCompactCommand(PromptParams prompt) =>
        prompt.Prompt is [{ Type: "text", Text: { } text }, ..]
        && text.StartsWith("/compact", StringComparison.Ordinal)
        && (text.Length == "/compact".Length || char.IsWhiteSpace(text["/compact".Length]));

    private async ValueTask ReadTranscriptAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!_tails.TryGetValue(sessionId, out TranscriptTail? tail))
        {
            return;
        }

        // Reading new lines and telling the tracker about them is one step: otherwise the poll loop could take a
        // boundary off the file while the agent's compaction_update is being intercepted, and the interceptor, finding
        // nothing new and the tracker not told yet, would forward the update without the facts it could have carried.
        var actions = new List<TrackerAction>();
        await _transcriptGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<TranscriptBoundary> boundaries;
            try
            {
                boundaries = tail.ReadNew();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TranscriptUnreadable(_log, tail.FilePath ?? sessionId, ex.Message);
                return;
            }

            // A fork's transcript starts as a copy of its parent's: boundaries marked as copied (forkedFrom), that name
            // another session, or that are older than this session, are history.
            DateTimeOffset since = (_sessions.Find(sessionId)?.OpenedAt ?? DateTimeOffset.MinValue) - ClockSkew;
            foreach (TranscriptBoundary boundary in boundaries.Where(b => b.ForkedFrom is null && (b.SessionId is null || b.SessionId == sessionId) && (b.Timestamp is null || b.Timestamp >= since)))
            {
                actions.AddRange(_tracker.Observe(sessionId, boundary, WindowOf(sessionId)));
            }
        }
        finally
        {
            _transcriptGate.Release();
        }

        Enqueue(actions);
    }

    /// <summary>
    /// Hands records to the record loop without waiting: this runs on the relay's pumps, which a slow disk or a flood
    /// of signals must never hold up. A record that finds the queue full is logged and dropped.
    /// </summary>
    private void Enqueue(IReadOnlyList<TrackerAction> actions)
    {
        foreach (TrackerAction action in actions)
        {
            if (!_toRecord.Writer.TryWrite(action))
            {
                GatedLog.Write(_log, _queueFull, "compaction record dropped", action.Record.Id, static (log, id) => RecordDropped(log, id));
            }
        }
    }

    private long? WindowOf(string sessionId) => _sessions.Find(sessionId)?.ContextWindow;

    private async Task RecordLoopAsync()
    {
        await foreach (TrackerAction action in _toRecord.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await RecordAsync(action).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // One record that cannot be made must not stop the recording of every later one.
                RecordFailed(_log, ex, action.Record.Id, action.Record.SessionId);
            }
        }
    }

    private async Task RecordAsync(TrackerAction action)
    {
        try
        {
            await _ledger.AppendAsync(action.Record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            LedgerWriteFailed(_log, ex, action.Record.Id, _ledger.FilePath);
        }

        _events?.Publish(action.Record.ToEvent(isUpdate: !action.IsNew));
        if (!action.IsNew)
        {
            CompactionEnriched(_log, action.Record.Id, action.Record.PostTokens, action.Record.DurationMs, action.Record.BoundaryUuid);
            return;
        }

        CompactionRecord record = action.Record;
        _sessions.RecordCompaction(record.SessionId);
        CompactBoundary(_log, record.Trigger ?? "unknown", record.PreTokens, record.PostTokens, record.SessionId, record.DurationMs, record.ContextWindow, record.Source, record.Id);
        if (record.PreTokens is null)
        {
            CountsMissing(_log, record.SessionId, _options.TranscriptWait);
        }

        Tell(record);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "Compact boundary: trigger={Trigger} preTokens={PreTokens} postTokens={PostTokens} session={SessionId} durationMs={DurationMs} contextWindow={ContextWindow} source={Source} id={CompactionId}")]
    private static partial void CompactBoundary(ILogger logger, string trigger, long? preTokens, long? postTokens, string sessionId, long? durationMs, long? contextWindow, string source, string compactionId);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Compaction {CompactionId} enriched: postTokens={PostTokens} durationMs={DurationMs} boundary={BoundaryUuid}")]
    private static partial void CompactionEnriched(ILogger logger, string compactionId, long? postTokens, long? durationMs, string? boundaryUuid);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "A compaction of session {SessionId} ended without token counts and its transcript did not show them within {Wait}; recorded without preTokens")]
    private static partial void CountsMissing(ILogger logger, string sessionId, TimeSpan wait);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Could not write compaction {CompactionId} to the ledger {Path}")]
    private static partial void LedgerWriteFailed(ILogger logger, Exception exception, string compactionId, string path);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Ignored a compaction signal with an empty sessionId; the agent's message went on unchanged")]
    private static partial void SignalWithoutSession(ILogger logger);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Could not record compaction {CompactionId} of session {SessionId}; recording goes on with the next")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string compactionId, string sessionId);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "Dropped compaction record {CompactionId}: the record queue is full (the ledger is not keeping up)")]
    private static partial void RecordDropped(ILogger logger, string compactionId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Cannot read transcript {Path}: {Reason}")]
    private static partial void TranscriptUnreadable(ILogger logger, string path, string reason);
}
