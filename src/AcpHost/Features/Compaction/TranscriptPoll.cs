using System.Threading.Channels;
using AcpHost.State;
using AcpHost.Storage.Transcripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Compaction;

/// <summary>
/// When the transcripts are read into the tracker, for the counts the wire lacks: after a turn ends, and while a
/// compaction that ended on the wire waits for its counts, each such session's transcript is read every
/// <see cref="CompactionOptions.PollInterval"/>; waits that ran out are recorded. The wire reads one at once when a
/// compaction ends (<see cref="ReadAsync"/>), and shutdown reads them all once more. Every read and the tracker being
/// told of it are one step, under one gate.
/// </summary>
/// <remarks>
/// Between those times no timer runs. A poll ticking on an idle host woke the thread pool four times a second, whose
/// workers then spun before sleeping again: about 12 ms of CPU a second (1 % of a core, measured idle with
/// <c>cat</c> as the agent) that running the agent directly does not cost, and a laptop kept awake.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate never allocates a wait handle and the token source has no timer, so there is nothing to dispose (and a read still under way must not find them disposed); StopAsync ends the following.")]
internal sealed partial class TranscriptPoll
{
    private readonly SessionRegistry _sessions;
    private readonly SessionTurns _turns;
    private readonly CompactionTracker _tracker;
    private readonly CompactionQueue _queue;
    private readonly FlattenedWatch _flattened;
    private readonly TranscriptFollowing _following;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<TranscriptPoll> _log;

    // Sessions whose turn ended since the last poll: a set, not a queue, so a thousand turns between two polls hold
    // one entry, and adding a session already due allocates nothing.
    private readonly ConcurrentDictionary<string, byte> _sweeps = new(StringComparer.Ordinal);

    // One pending wake is enough: the poll looks at everything that is due each time it runs.
    private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _polling = Task.CompletedTask;

    /// <summary>Follows every session the registry opens from now on; the poll starts with <see cref="Start"/>.</summary>
    /// <param name="sessions">The relayed sessions.</param>
    /// <param name="turns">Which sessions are in a turn: an ACP v2 turn ends with the session going idle.</param>
    /// <param name="tracker">Told of every boundary read.</param>
    /// <param name="queue">Where what the tracker makes of them waits for the ledger.</param>
    /// <param name="flattened">The watch of what each compaction flattened, told of each session followed and each turn's end.</param>
    /// <param name="followers">Who else reads each session's new transcript lines, from the same reads (the live usage).</param>
    /// <param name="options">The settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">The log.</param>
    public TranscriptPoll(
        SessionRegistry sessions, SessionTurns turns, CompactionTracker tracker, CompactionQueue queue, FlattenedWatch flattened,
        IEnumerable<ITranscriptFollower> followers, IOptions<CompactionOptions> options, TimeProvider time, ILogger<TranscriptPoll> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sessions = sessions;
        _turns = turns;
        _tracker = tracker;
        _queue = queue;
        _flattened = flattened;
        _interval = options.Value.PollInterval;
        _time = time;
        _log = log;
        _following = new TranscriptFollowing(sessions, TranscriptPaths.ConfigDir(options.Value.ClaudeConfigDir), followers, flattened.Follow);
        _turns.WentIdle += TurnEnded;
    }

    /// <summary>Starts the poll (it sleeps until something is due).</summary>
    public void Start() => _polling = Task.Run(PollLoopAsync, CancellationToken.None);

    /// <summary>Follows no new session, hears no more turn ends, and ends the poll; the sessions followed can still be read.</summary>
    public async Task StopAsync()
    {
        _following.Dispose();
        _turns.WentIdle -= TurnEnded;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
    }

    /// <summary>Tells the poll that there is something to look at; never waits (it runs on the relay's pumps).</summary>
    public void Wake() => _wake.Writer.TryWrite(0);

    /// <summary>
    /// A turn ended (ACP v1: its prompt was answered; v2: the agent reported the session idle): its transcript is looked
    /// at soon, for any compaction the wire did not report, and so for what the turn's model requests used.
    /// </summary>
    public void TurnEnded(string sessionId)
    {
        _sweeps.TryAdd(sessionId, 0);
        Wake();
        _flattened.Wake(sessionId);
    }

    /// <summary>Reads every followed session's transcript once more (shutdown's last look).</summary>
    public async Task ReadAllAsync(CancellationToken cancellationToken)
    {
        foreach (string sessionId in _following.SessionIds)
        {
            await ReadAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads what the session's transcript gained into the tracker, and queues what that records.</summary>
    public async ValueTask ReadAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_following.Of(sessionId) is not { } tail)
        {
            return;
        }

        // Reading new lines and telling the tracker about them is one step: otherwise the poll loop could take a
        // boundary off the file while the agent's compaction_update is being intercepted, and the interceptor, finding
        // nothing new and the tracker not told yet, would forward the update without the facts it could have carried.
        var actions = new List<TrackerAction>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            SessionInfo? session = _sessions.Find(sessionId);
            DateTimeOffset since = session is null ? DateTimeOffset.MinValue : session.OpenedAt - TranscriptTail.ClockSkew;
            foreach (TranscriptBoundary boundary in boundaries.Where(b => b.ForkedFrom is null && (b.SessionId is null || b.SessionId == sessionId) && (b.Timestamp is null || b.Timestamp >= since)))
            {
                actions.AddRange(_tracker.Observe(sessionId, boundary, session?.ContextWindow));
            }
        }
        finally
        {
            _gate.Release();
        }

        await _queue.EnqueueAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    private bool HasWork() => !_sweeps.IsEmpty || _tracker.AnyAwaitingTranscript();

    private async Task PollLoopAsync()
    {
        try
        {
            while (true)
            {
                // A wake that came while the last busy spell ended is still in the channel, so none is missed.
                await _wake.Reader.ReadAsync(_stopping.Token).ConfigureAwait(false);
                using var timer = new PeriodicTimer(_interval, _time);
                do
                {
                    await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false);
                    await PollOnceAsync().ConfigureAwait(false);
                }
                while (HasWork());
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the final sweep is shutdown's.
        }
    }

    private async Task PollOnceAsync()
    {
        var due = new HashSet<string>(_tracker.SessionsAwaitingTranscript(), StringComparer.Ordinal);
        foreach (string sessionId in _sweeps.Keys)
        {
            // Taken before the read: a turn that ends during it marks the session again for the next poll.
            if (_sweeps.TryRemove(sessionId, out _))
            {
                due.Add(sessionId);
            }
        }

        foreach (string sessionId in due)
        {
            await ReadAsync(sessionId, _stopping.Token).ConfigureAwait(false);
        }

        await _queue.EnqueueAsync(_tracker.Expire(), _stopping.Token).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Cannot read transcript {Path}: {Reason}")]
    private static partial void TranscriptUnreadable(ILogger logger, string path, string reason);
}
