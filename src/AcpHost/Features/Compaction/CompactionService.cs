using AcpHost.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Runs the compaction feature's loops: the record loop (<see cref="CompactionWriter"/>), the transcript poll
/// (<see cref="TranscriptPoll"/>) and the flattened watch start in <see cref="StartAsync"/> and end in
/// <see cref="StopAsync"/>, after the relay's own service has stopped, with a last look at every transcript and a
/// final flush, bounded by what the host's shutdown leaves.
/// </summary>
/// <param name="tracker">What is still waiting for counts at the end is flushed from it.</param>
/// <param name="queue">Where the records wait for the ledger.</param>
/// <param name="writer">The record loop.</param>
/// <param name="teller">The tellings to the client.</param>
/// <param name="poll">The transcript poll.</param>
/// <param name="flattened">The flattened watch.</param>
/// <param name="deadline">When the host must be gone once it ends: the final flush fits before it.</param>
/// <param name="log">The log.</param>
internal sealed partial class CompactionService(
    CompactionTracker tracker, CompactionQueue queue, CompactionWriter writer, CompactionTeller teller, TranscriptPoll poll, FlattenedWatch flattened, ShutdownDeadline deadline,
    ILogger<CompactionService> log) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    private int _started;
    private int _disposed;

    /// <summary>Starts the record loop, the transcript poll and the flattened watch; waits on none of them.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            writer.Start();
            poll.Start();
            flattened.Start();
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
            writer.Start();
        }

        await poll.StopAsync().ConfigureAwait(false);
        await flattened.DisposeAsync().ConfigureAwait(false);

        // Last look at every transcript, then record whatever ended and is still waiting. All of it within the time the
        // host's shutdown leaves (at most FinalFlushTimeout): half for the loop to finish, the rest for what it could
        // not take (the loop stuck on a ledger write that does not end; tellings run off it), written here instead.
        TimeSpan budget = deadline.Left(FinalFlushTimeout);
        using (var bounded = new CancellationTokenSource(budget / 2))
        {
            try
            {
                await poll.ReadAllAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (bounded.IsCancellationRequested)
            {
                // Out of time: what the tracker holds is still flushed below.
            }

            await queue.EnqueueAsync(tracker.Flush(), bounded.Token).ConfigureAwait(false);
            queue.Complete();
            try
            {
                await writer.Recording.WaitAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (bounded.IsCancellationRequested)
            {
                RecordLoopStuck(log, budget / 2);
                await teller.GiveUpAsync().ConfigureAwait(false);
            }
        }

        using (var bounded = new CancellationTokenSource(deadline.Left(FinalFlushTimeout)))
        {
            await writer.WriteLeftoversAsync(bounded.Token).ConfigureAwait(false);
        }

        // What was recorded is still told (its notices run off the record loop) within the time left; a client that
        // reads nothing gives up the rest.
        if (!await teller.ToldAsync(deadline.Left(FinalFlushTimeout)).ConfigureAwait(false))
        {
            await teller.GiveUpAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "The compaction record loop did not finish within {Timeout}; what is still queued goes to the ledger without a client notification")]
    private static partial void RecordLoopStuck(ILogger logger, TimeSpan timeout);
}
