using System.Threading.Channels;
using AcpHost.Relay.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The records waiting for the ledger: a bounded queue that the wire, the transcript reads and the flattened watch add
/// to, and <see cref="CompactionWriter"/> empties in batches. A full queue holds whoever adds to it (the agent's pump)
/// until there is room: a record may be late, never lost. Thread-safe.
/// </summary>
/// <param name="log">The log.</param>
internal sealed partial class CompactionQueue(ILogger<CompactionQueue> log)
{
    // Records waiting for the ledger; past this the agent's pump waits for room (backpressure, never a dropped record).
    private const int QueueLength = 1024;

    // Two readers at most: the record loop, and the final flush when that loop is stuck notifying a client that reads
    // nothing (the ledger must still get the records).
    private readonly Channel<TrackerAction> _toRecord = Channel.CreateBounded<TrackerAction>(new BoundedChannelOptions(QueueLength) { SingleReader = false });

    // Records that found the queue closed or their wait cancelled because the host is stopping: the final flush writes them.
    private readonly ConcurrentQueue<TrackerAction> _late = new();
    private readonly LogGate _queueFull = new(20, TimeSpan.FromSeconds(10));

    /// <summary>Where the record loop reads.</summary>
    public ChannelReader<TrackerAction> Reader => _toRecord.Reader;

    /// <summary>
    /// Adds records. This runs on the relay's pumps: while the queue has room it never waits; a queue that is full (a
    /// flood of compactions faster than the disk) holds the agent's pump until the loop has made room, which is
    /// backpressure on the agent, never a lost record. A record whose wait is cancelled (the host is stopping), or that
    /// finds the queue closed, is kept for <see cref="TakeLeftovers"/>.
    /// </summary>
    public async ValueTask EnqueueAsync(IReadOnlyList<TrackerAction> actions, CancellationToken cancellationToken)
    {
        foreach (TrackerAction action in actions)
        {
            if (_toRecord.Writer.TryWrite(action))
            {
                continue;
            }

            GatedLog.Write(log, _queueFull, "compaction record queue full", QueueLength, static (log, length) => RecordQueueFull(log, length));
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

    /// <summary>Takes no more records: the record loop ends once it has read what is queued.</summary>
    public void Complete() => _toRecord.Writer.TryComplete();

    /// <summary>What is still queued, and what came too late for the queue: for the final flush, once the loop has ended or is stuck.</summary>
    public List<TrackerAction> TakeLeftovers()
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

        return leftovers;
    }

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "More than {QueueLength} compaction records wait for the ledger: the agent's messages wait for room")]
    private static partial void RecordQueueFull(ILogger logger, int queueLength);
}
