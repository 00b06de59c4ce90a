using AcpHost.Events;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The record loop: the records in <see cref="CompactionQueue"/> go to the ledger in batches (one write and fsync for
/// all that wait, so the agent's messages are not held up by a disk write per record), then each is logged, published
/// on the bus and handed to <see cref="CompactionTeller"/> for the client. The ledger comes first, for the whole batch:
/// a notification that waits on a slow client never holds a record back from the disk.
/// </summary>
/// <param name="queue">Where the records wait.</param>
/// <param name="ledger">Where records go.</param>
/// <param name="sessions">The relayed sessions, whose compaction counts each new record raises.</param>
/// <param name="events">The bus each record is published on.</param>
/// <param name="teller">Who tells the client of each new record.</param>
/// <param name="options">The settings (the transcript wait a record without counts is logged with).</param>
/// <param name="log">The log.</param>
internal sealed partial class CompactionWriter(
    CompactionQueue queue, CompactionLedger ledger, SessionRegistry sessions, HostEventBus events, CompactionTeller teller, IOptions<CompactionOptions> options, ILogger<CompactionWriter> log)
{
    // At most this many records go to the ledger in one write.
    private const int MaxBatch = 256;

    private Task _recording = Task.CompletedTask;
    private int _started;

    /// <summary>The record loop: ends once the queue is completed and read, or never if it is stuck on a client.</summary>
    public Task Recording => _recording;

    /// <summary>Starts the record loop (once).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _recording = Task.Run(RecordLoopAsync, CancellationToken.None);
        }
    }

    /// <summary>What is still queued when the loop has ended or is stuck: written to the ledger, not announced.</summary>
    public Task WriteLeftoversAsync(CancellationToken cancellationToken) => AppendAsync(queue.TakeLeftovers(), cancellationToken);

    private async Task RecordLoopAsync()
    {
        var batch = new List<TrackerAction>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out TrackerAction? action))
            {
                batch.Add(action);
            }

            await AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
            foreach (TrackerAction action in batch)
            {
                try
                {
                    Announce(action);
                }
                catch (Exception ex)
                {
                    // One record that cannot be announced must not stop the recording of every later one.
                    RecordFailed(log, ex, action.Record.Id, action.Record.SessionId);
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
            await ledger.AppendAsync([.. batch.Select(action => action.Record)], cancellationToken).ConfigureAwait(false);
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
            LedgerWriteFailed(log, ex, batch.Count, ledger.FilePath);
        }
        catch (Exception ex)
        {
            RecordFailed(log, ex, batch[0].Record.Id, batch[0].Record.SessionId);
        }
    }

    private void Announce(TrackerAction action)
    {
        events.Publish(CompactionRecorded.Of(action.Record, isUpdate: !action.IsNew));
        if (!action.IsNew)
        {
            CompactionEnriched(log, action.Record.Id, action.Record.PostTokens, action.Record.DurationMs, action.Record.BoundaryUuid);
            return;
        }

        CompactionRecord record = action.Record;
        sessions.RecordCompaction(record.SessionId);
        CompactBoundary(log, record.Trigger ?? "unknown", record.PreTokens, record.PostTokens, record.SessionId, record.DurationMs, record.ContextWindow, record.Source, record.Id);
        if (record.PreTokens is null)
        {
            CountsMissing(log, record.SessionId, options.Value.TranscriptWait);
        }

        // Off the loop: the notice may wait for the summary line, and later records must not wait with it.
        teller.Tell(record);
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Could not write {Count} compaction record(s) to the ledger {Path}")]
    private static partial void LedgerWriteFailed(ILogger logger, Exception exception, int count, string path);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Could not record compaction {CompactionId} of session {SessionId}; recording goes on with the next")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string compactionId, string sessionId);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "Compact boundary: trigger={Trigger} preTokens={PreTokens} postTokens={PostTokens} session={SessionId} durationMs={DurationMs} contextWindow={ContextWindow} source={Source} id={CompactionId}")]
    private static partial void CompactBoundary(ILogger logger, string trigger, long? preTokens, long? postTokens, string sessionId, long? durationMs, long? contextWindow, string source, string compactionId);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Compaction {CompactionId} enriched: postTokens={PostTokens} durationMs={DurationMs} boundary={BoundaryUuid}")]
    private static partial void CompactionEnriched(ILogger logger, string compactionId, long? postTokens, long? durationMs, string? boundaryUuid);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "A compaction of session {SessionId} ended without token counts and its transcript did not show them within {Wait}; recorded without preTokens")]
    private static partial void CountsMissing(ILogger logger, string sessionId, TimeSpan wait);
}
