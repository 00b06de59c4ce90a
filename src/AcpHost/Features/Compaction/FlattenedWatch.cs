using System.Threading.Channels;
using AcpHost.Events;
using AcpHost.Relay.Diagnostics;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Live, what each compaction's summary no longer names: every relayed session's transcript is followed from its start
/// (<see cref="FollowedTranscript"/>) on a loop of its own, never on the relay's threads, so reading a long segment
/// delays no message. The loop runs only when woken: when a turn ends (to keep up with the session's lines, so a
/// compaction finds little left to read), and when the wire reports a compaction (then it polls every
/// <see cref="CompactionOptions.PollInterval"/> until that compaction's boundary and summary are read, at most
/// <see cref="SummaryWait"/>). Between those, nothing runs. Each compaction found is told to the tracker, what that
/// changes is queued for the ledger like any record, and it is kept a while for the notice that waits for it
/// (<see cref="WaitAsync"/>).
/// </summary>
/// <param name="tracker">Told each compaction found (session, boundary, what its summary no longer names).</param>
/// <param name="queue">Where what the tracker makes of it waits for the ledger.</param>
/// <param name="options">The settings: how often a session is read again while a compaction of it is awaited.</param>
/// <param name="time">The clock.</param>
/// <param name="log">The log.</param>
internal sealed partial class FlattenedWatch(CompactionTracker tracker, CompactionQueue queue, IOptions<CompactionOptions> options, TimeProvider time, ILogger<FlattenedWatch> log)
    : IAsyncDisposable
{
    /// <summary>How long a compaction the wire reported, or a boundary read without its summary, is waited for.</summary>
    public static readonly TimeSpan SummaryWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, FollowedTranscript> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _due = new(StringComparer.Ordinal);
    private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _poll = options.Value.PollInterval;
    private readonly LogGate _unreadable = new(20, TimeSpan.FromSeconds(10));
    private TaskCompletionSource _changed = NewSignal();
    private Task _loop = Task.CompletedTask;
    private int _started;

    /// <summary>Follows a session from now on; <paramref name="locate"/> finds its transcript.</summary>
    public void Follow(string sessionId, Func<string?> locate) =>
        _sessions.TryAdd(sessionId, new FollowedTranscript(locate, (boundary, flattened) => Found(sessionId, boundary, flattened)));

    /// <summary>A turn of the session ended: read what it added, soon. Never waits (called on the relay's pumps).</summary>
    public void Wake(string sessionId) => Due(sessionId, expecting: false);

    /// <summary>The wire reported a compaction of the session: look for it until it is read. Never waits.</summary>
    public void Expect(string sessionId) => Due(sessionId, expecting: true);

    /// <summary>Starts the loop.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = Task.Run(LoopAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// What the summary of the session's compaction no longer names (found by boundary uuid, else by
    /// <c>preTokens</c>), waiting at most <paramref name="within"/> for it; null when it does not come in time, when the
    /// session has no transcript, or when the compaction is known by neither.
    /// </summary>
    public async Task<FlattenedSpecifics?> WaitAsync(string sessionId, string? boundaryUuid, long? preTokens, TimeSpan within)
    {
        if (!_sessions.TryGetValue(sessionId, out FollowedTranscript? followed) || (boundaryUuid is null && preTokens is null))
        {
            return null;
        }

        DateTimeOffset until = time.GetUtcNow() + within;
        while (true)
        {
            Task changed = Volatile.Read(ref _changed).Task;
            if (followed.Find(boundaryUuid, preTokens) is { } found)
            {
                return found;
            }

            TimeSpan left = until - time.GetUtcNow();
            if (left <= TimeSpan.Zero || _stopping.IsCancellationRequested || !followed.Exists)
            {
                return null;
            }

            try
            {
                await changed.WaitAsync(left, time, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Due(string sessionId, bool expecting)
    {
        // A wake that expects a compaction is not undone by a plain one that comes after it.
        _due.AddOrUpdate(sessionId, expecting, (_, before) => before || expecting);
        _wake.Writer.TryWrite(0);
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await _wake.Reader.ReadAsync(_stopping.Token).ConfigureAwait(false);
                using var timer = new PeriodicTimer(_poll, time);
                while (CatchUp())
                {
                    await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposal.
        }
    }

    // Reads every session that is due or still awaits a compaction; true while any does.
    private bool CatchUp()
    {
        DateTimeOffset now = time.GetUtcNow();
        foreach (string sessionId in _due.Keys)
        {
            if (_due.TryRemove(sessionId, out bool expecting) && _sessions.TryGetValue(sessionId, out FollowedTranscript? due))
            {
                due.ExpectedUntil = expecting ? now + SummaryWait : due.ExpectedUntil;
                _active.Add(sessionId);
            }
        }

        foreach (string sessionId in _active.ToList())
        {
            if (!_sessions.TryGetValue(sessionId, out FollowedTranscript? followed) || !CatchUp(sessionId, followed, now))
            {
                _active.Remove(sessionId);
            }
        }

        return _active.Count > 0 || !_due.IsEmpty;
    }

    private bool CatchUp(string sessionId, FollowedTranscript followed, DateTimeOffset now)
    {
        try
        {
            return followed.CatchUp(now, SummaryWait);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            GatedLog.Write(log, _unreadable, "transcript unreadable", (sessionId, ex.Message), static (log, s) => TranscriptUnreadable(log, s.sessionId, s.Message));
            return false;
        }
    }

    private void Found(string sessionId, TranscriptBoundary boundary, FlattenedSpecifics flattened)
    {
        FlattenedFound(log, sessionId, boundary.Uuid, flattened.Dropped, flattened.Seen);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

        // Queued like any record, without waiting: a full queue parks the update there, not this loop.
        _ = queue.EnqueueAsync(tracker.ObserveFlattened(sessionId, boundary, flattened), _stopping.Token).AsTask();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 320, Level = LogLevel.Debug, Message = "Compaction {BoundaryUuid} of session {SessionId}: its summary no longer names {Dropped} of the {Seen} files, commands, URLs and failed tools of the turns it replaced")]
    private static partial void FlattenedFound(ILogger logger, string sessionId, string? boundaryUuid, int dropped, int seen);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "Cannot follow the transcript of session {SessionId} for what its compactions flattened: {Reason}")]
    private static partial void TranscriptUnreadable(ILogger logger, string sessionId, string reason);
}
