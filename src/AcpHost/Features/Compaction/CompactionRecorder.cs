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
/// happens on a background loop, in batches (one ledger write and fsync for all the records that are waiting), so the
/// agent's messages are not held up by a disk write; only when more records wait than the queue holds does the agent's
/// next signal wait for room: a record may be late, never lost. The loops start in <see cref="StartAsync"/> and end in
/// <see cref="StopAsync"/>, after the relay's own service has stopped.
/// </summary>
internal sealed partial class CompactionRecorder : IMessageInterceptor, IHostedService, IAsyncDisposable
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
    private readonly TranscriptFollowing _following;
    private readonly SessionTurns _turns;
    // Sessions whose turn ended since the last poll: a set, not a queue, so a thousand turns between two polls hold
    // one entry, and adding a session already due allocates nothing.
    private readonly ConcurrentDictionary<string, byte> _sweeps = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ShutdownDeadline? _deadline;
    private readonly SemaphoreSlim _transcriptGate = new(1, 1);
    private Task _recording = Task.CompletedTask;
    private Task _polling = Task.CompletedTask;
    private int _started;
    private readonly HostEventBus? _events;
    private readonly LogGate _unusable = new(20, TimeSpan.FromSeconds(10));
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
    /// <param name="deadline">When the host must be gone once it ends: the final flush fits before it.</param>
    /// <param name="followers">Who else reads each session's new transcript lines, from the same reads (the live usage).</param>
    public CompactionRecorder(
        SessionRegistry sessions, CompactionLedger ledger, IOptions<CompactionOptions> options, TimeProvider time, ILogger<CompactionRecorder> log,
        HostEventBus? events = null, SessionTurns? turns = null, INotices? notices = null, SessionHistory? history = null, ShutdownDeadline? deadline = null,
        IEnumerable<ITranscriptFollower>? followers = null)
    {
        _notices = notices;
        _history = history;
        _deadline = deadline;
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
        // Found on the watch's loop: the update is queued like any record (a full queue parks it there, not the loop).
        _flattened = new FlattenedWatch((sessionId, boundary, flattened) => _ = EnqueueAsync(_tracker.ObserveFlattened(sessionId, boundary, flattened), _stopping.Token).AsTask(), _options.PollInterval, time, log);
        _following = new TranscriptFollowing(
            sessions, TranscriptPaths.ConfigDir(_options.ClaudeConfigDir), followers ?? [], (sessionId, locate) => _flattened.Follow(sessionId, locate));
        _turns.WentIdle += TurnEnded;
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

        await EnqueueAsync(_tracker.Observe(signal, WindowOf(sessionId)), cancellationToken).ConfigureAwait(false);
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

        _following.Dispose();
        _turns.WentIdle -= TurnEnded;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
        await _flattened.DisposeAsync().ConfigureAwait(false);

        // Last look at every transcript, then record whatever ended and is still waiting. All of it within the time the
        // host's shutdown leaves (at most FinalFlushTimeout): half for the loop to finish, the rest for what it could
        // not take (the loop stuck notifying a client that reads nothing), which goes to the ledger without it.
        TimeSpan budget = _deadline?.Left(FinalFlushTimeout) ?? FinalFlushTimeout;
        using (var bounded = new CancellationTokenSource(budget / 2))
        {
            try
            {
                foreach (string sessionId in _following.SessionIds)
                {
                    await ReadTranscriptAsync(sessionId, bounded.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (bounded.IsCancellationRequested)
            {
                // Out of time: what the tracker holds is still flushed below.
            }

            await EnqueueAsync(_tracker.Flush(), bounded.Token).ConfigureAwait(false);
            _toRecord.Writer.TryComplete();
            try
            {
                await _recording.WaitAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (bounded.IsCancellationRequested)
            {
                RecordLoopStuck(_log, budget / 2);
                await _notifying.CancelAsync().ConfigureAwait(false);
            }
        }

        using (var bounded = new CancellationTokenSource(_deadline?.Left(FinalFlushTimeout) ?? FinalFlushTimeout))
        {
            await WriteLeftoversAsync(bounded.Token).ConfigureAwait(false);
        }

        // What was recorded is still told (its notices run off the record loop) within the time left; a client that
        // reads nothing gives up the rest.
        bool told = await ToldAsync(_deadline?.Left(FinalFlushTimeout) ?? FinalFlushTimeout).ConfigureAwait(false);
        if (!told)
        {
            await _notifying.CancelAsync().ConfigureAwait(false);
        }

        if (_recording.IsCompleted && told)
        {
            _stopping.Dispose();
            _notifying.Dispose();
            _transcriptGate.Dispose();
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
            // read without the serializer, which would allocate about a kilobyte per turn.
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
            TurnEnded(sessionId);
        }
    }

    // The agent reads a slash command from the first block's first word, as Claude Code does.
    private static bool IsCompactCommand(PromptParams prompt) =>
        prompt.Prompt is [{ Type: "text", Text: { } text }, ..]
        && text.StartsWith("/compact", StringComparison.Ordinal)
        && (text.Length == "/compact".Length || char.IsWhiteSpace(text["/compact".Length]));

    private long? WindowOf(string sessionId) => _sessions.Find(sessionId)?.ContextWindow;

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Ignored a compaction signal with an empty sessionId; the agent's message went on unchanged")]
    private static partial void SignalWithoutSession(ILogger logger);
}
