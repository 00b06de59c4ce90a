using System.Threading.Channels;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The transcript poll: after a turn ends, and while a compaction that ended on the wire waits for its counts, each
/// such session's transcript is read every <see cref="CompactionOptions.PollInterval"/>; waits that ran out are recorded.
/// </summary>
/// <remarks>
/// Between those times no timer runs. A poll ticking on an idle host woke the thread pool four times a second, whose
/// workers then spun before sleeping again: about 12 ms of CPU a second (1 % of a core, measured idle with
/// <c>cat</c> as the agent) that running the agent directly does not cost, and a laptop kept awake.
/// </remarks>
public sealed partial class CompactionRecorder
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
}
