using System.Threading.Channels;
using AcpHost.Events;
using AcpHost.Relay.Diagnostics;
using AcpHost.Relay.Relay;
using AcpHost.Storage.Ledgers;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The record loop: records wait in a bounded queue and go to the ledger in batches (one write and fsync for all that
/// wait), then each is logged, counted and announced to the client. A full queue holds whoever adds to it (the agent's
/// pump) until there is room: a record may be late, never lost.
/// </summary>
internal sealed partial class CompactionRecorder
{
    // Records waiting for the ledger; past this the agent's pump waits for room (backpressure, never a dropped record).
    private const int QueueLength = 1024;

    // At most this many records go to the ledger in one write.
    private const int MaxBatch = 256;

    // Two readers at most: the record loop, and the final flush when that loop is stuck notifying a client that reads
    // nothing (the ledger must still get the records).
    private readonly Channel<TrackerAction> _toRecord = Channel.CreateBounded<TrackerAction>(new BoundedChannelOptions(QueueLength) { SingleReader = false });

    // Records that found the queue closed or their wait cancelled because the host is stopping: the final flush writes them.
    private readonly ConcurrentQueue<TrackerAction> _late = new();

    // Cancelled when the final flush gives up on the record loop: a notification stuck on a client that reads nothing
    // lets the loop go on with the ledger.
    private readonly CancellationTokenSource _notifying = new();
    private readonly LogGate _queueFull = new(20, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Hands records to the record loop. This runs on the relay's pumps: while the queue has room it never waits; a
    /// queue that is full (a flood of compactions faster than the disk) holds the agent's pump until the loop has made
    /// room, which is backpressure on the agent, never a lost record. A record whose wait is cancelled (the host is
    /// stopping) is written by the final flush.
    /// </summary>
    private async ValueTask EnqueueAsync(IReadOnlyList<TrackerAction> actions, CancellationToken cancellationToken)
    {
        foreach (TrackerAction action in actions)
        {
            if (_toRecord.Writer.TryWrite(action))
            {
                continue;
            }

            GatedLog.Write(_log, _queueFull, "compaction record queue full", QueueLength, static (log, length) => RecordQueueFull(log, length));
            try
            {
                await _toRecord.Writer.WriteAsync(action, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                _late.Enqueue(action);
            }
        }
    }

    private async Task RecordLoopAsync()
    {
        var batch = new List<TrackerAction>(MaxBatch);
        while (await _toRecord.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _toRecord.Reader.TryRead(out TrackerAction? action))
            {
                batch.Add(action);
            }

            // The ledger first, for the whole batch: a notification that waits on a slow client never holds a record
            // back from the disk.
            await AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
            foreach (TrackerAction action in batch)
            {
                try
                {
                    await AnnounceAsync(action).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // One record that cannot be announced must not stop the recording of every later one.
                    RecordFailed(_log, ex, action.Record.Id, action.Record.SessionId);
                }
            }
        }
    }

    /// <summary>Writes records to the ledger in one append; one the ledger refuses is left out, alone, and logged.</summary>
    private async Task AppendAsync(List<TrackerAction> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _ledger.AppendAsync([.. batch.Select(action => action.Record)], cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException) when (batch.Count > 1)
        {
            // A record the ledger refuses must not take the others with it: one at a time, so only it fails.
            foreach (TrackerAction action in batch)
            {
                await AppendAsync([action], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException or OperationCanceledException)
        {
            LedgerWriteFailed(_log, ex, batch.Count, _ledger.FilePath);
        }
        catch (Exception ex)
        {
            RecordFailed(_log, ex, batch[0].Record.Id, batch[0].Record.SessionId);
        }
    }

    /// <summary>What is still queued when the loop has ended or is stuck: written to the ledger, not announced.</summary>
    private async Task WriteLeftoversAsync(CancellationToken cancellationToken)
    {
        var leftovers = new List<TrackerAction>();
        while (_toRecord.Reader.TryRead(out TrackerAction? action))
        {
            leftovers.Add(action);
        }

        while (_late.TryDequeue(out TrackerAction? action))
        {
            leftovers.Add(action);
        }

        await AppendAsync(leftovers, cancellationToken).ConfigureAwait(false);
    }

    private Task AnnounceAsync(TrackerAction action)
    {
        _events?.Publish(CompactionRecorded.Of(action.Record, isUpdate: !action.IsNew));
        if (!action.IsNew)
        {
            CompactionEnriched(_log, action.Record.Id, action.Record.PostTokens, action.Record.DurationMs, action.Record.BoundaryUuid);
            return Task.CompletedTask;
        }

        CompactionRecord record = action.Record;
        _sessions.RecordCompaction(record.SessionId);
        CompactBoundary(_log, record.Trigger ?? "unknown", record.PreTokens, record.PostTokens, record.SessionId, record.DurationMs, record.ContextWindow, record.Source, record.Id);
        if (record.PreTokens is null)
        {
            CountsMissing(_log, record.SessionId, _options.TranscriptWait);
        }

        // Off the loop: the notice may wait for the summary line, and later records must not wait with it.
        Tell(record);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Could not write {Count} compaction record(s) to the ledger {Path}")]
    private static partial void LedgerWriteFailed(ILogger logger, Exception exception, int count, string path);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Could not record compaction {CompactionId} of session {SessionId}; recording goes on with the next")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string compactionId, string sessionId);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "More than {QueueLength} compaction records wait for the ledger: the agent's messages wait for room")]
    private static partial void RecordQueueFull(ILogger logger, int queueLength);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "The compaction record loop did not finish within {Timeout}; what is still queued goes to the ledger without a client notification")]
    private static partial void RecordLoopStuck(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "Compact boundary: trigger={Trigger} preTokens={PreTokens} postTokens={PostTokens} session={SessionId} durationMs={DurationMs} contextWindow={ContextWindow} source={Source} id={CompactionId}")]
    private static partial void CompactBoundary(ILogger logger, string trigger, long? preTokens, long? postTokens, string sessionId, long? durationMs, long? contextWindow, string source, string compactionId);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Compaction {CompactionId} enriched: postTokens={PostTokens} durationMs={DurationMs} boundary={BoundaryUuid}")]
    private static partial void CompactionEnriched(ILogger logger, string compactionId, long? postTokens, long? durationMs, string? boundaryUuid);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "A compaction of session {SessionId} ended without token counts and its transcript did not show them within {Wait}; recorded without preTokens")]
    private static partial void CountsMissing(ILogger logger, string sessionId, TimeSpan wait);
}
