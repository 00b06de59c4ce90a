using System.Threading.Channels;
using AcpHost.Storage.Transcripts;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Following the transcripts: after a turn ends, and while a compaction that ended on the wire waits for its counts, each
/// such session's transcript is read every <see cref="CompactionOptions.PollInterval"/>; waits that ran out are recorded.
/// </summary>
/// <remarks>
/// Between those times no timer runs. A poll ticking on an idle host woke the thread pool four times a second, whose
/// workers then spun before sleeping again: about 12 ms of CPU a second (1 % of a core, measured idle with
/// <c>cat</c> as the agent) that running the agent directly does not cost, and a laptop kept awake.
/// </remarks>
internal sealed partial class CompactionRecorder
{
    // One pending wake is enough: the poll looks at everything that is due each time it runs.
    private readonly Channel<byte> _pollWake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Tells the poll that there is something to look at; never waits (it runs on the relay's pumps).</summary>
    private void WakePoll() => _pollWake.Writer.TryWrite(0);

    private bool HasPollWork() => !_sweeps.IsEmpty || _tracker.AnyAwaitingTranscript();

    private async Task PollLoopAsync()
    {
        try
        {
            while (true)
            {
                // A wake that came while the last busy spell ended is still in the channel, so none is missed.
                await _pollWake.Reader.ReadAsync(_stopping.Token).ConfigureAwait(false);
                using var timer = new PeriodicTimer(_options.PollInterval, _time);
                do
                {
                    await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false);
                    await PollOnceAsync().ConfigureAwait(false);
                }
                while (HasPollWork());
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposal: the final sweep happens there.
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
            await ReadTranscriptAsync(sessionId, _stopping.Token).ConfigureAwait(false);
        }

        await EnqueueAsync(_tracker.Expire(), _stopping.Token).ConfigureAwait(false);
    }

    // A turn ended (ACP v1: its prompt was answered; v2: the agent reported the session idle): look at its transcript
    // for any compaction the wire did not report, and so for what the turn's model requests used.
    private void TurnEnded(string sessionId)
    {
        _sweeps.TryAdd(sessionId, 0);
        WakePoll();
        _flattened.Wake(sessionId);
    }

    private async ValueTask ReadTranscriptAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_following.Of(sessionId) is not { } tail)
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

        await EnqueueAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Cannot read transcript {Path}: {Reason}")]
    private static partial void TranscriptUnreadable(ILogger logger, string path, string reason);
}
