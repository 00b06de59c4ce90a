using AcpHost.Events;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Telemetry;

/// <summary>
/// One more subscriber of the host's events, beside the control plane: turns each into its record and its counts and
/// hands them to the exporter, on a loop of its own (the bus queues for it, bounded; the relay only ever enqueues).
/// Stopping drains what was published, sends the compactions still waiting for their counts, and flushes within the
/// relay's shutdown grace.
/// </summary>
internal sealed partial class TelemetryService(
    HostEventBus events,
    OtlpExport export,
    HostMetrics metrics,
    TelemetryOptions options,
    IOptions<RelayOptions> relayOptions,
    TimeProvider time,
    ILogger<TelemetryService> log) : IHostedService, IDisposable
{
    private readonly CompactionHold _hold = new();
    private readonly CancellationTokenSource _stop = new();
    private HostEventBus.Subscription? _subscription;
    private Task _loop = Task.CompletedTask;

    /// <summary>The listener to the SDK's complaints, started before the exporter; let go of with the service.</summary>
    public ExportProblems? Problems { get; init; }

    /// <summary>When the host must be gone once it ends: the last flush fits before it.</summary>
    public ShutdownDeadline? Deadline { get; init; }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe();
        _loop = Task.Run(RunAsync, CancellationToken.None);
        Started(log);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The events published so far are read to the end, then the loop ends; the held compactions go out as they are.
        Volatile.Read(ref _subscription)?.Dispose();
        TimeSpan grace = Deadline?.Left(relayOptions.Value.ShutdownGrace) ?? relayOptions.Value.ShutdownGrace;
        if (await Task.WhenAny(_loop, Task.Delay(grace / 2, time, cancellationToken)).ConfigureAwait(false) != _loop)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        foreach (CompactionRecorded held in _hold.Due(time.GetUtcNow(), all: true))
        {
            ExportCompaction(held);
        }

        // The exporter waits for an unreachable collector (OTEL_EXPORTER_OTLP_TIMEOUT, 10 s by default, and retries): the
        // flush is given the grace and no more, off this thread, and whatever it did not send is lost with the process.
        // A collector that failed within the last minute is not waited for at all beyond a moment: the user's editor
        // should not wait on it to close the host. Either way the flush ends within what the host's shutdown leaves.
        grace = Deadline?.Left(grace) ?? grace;
        if (Problems?.LastProblemAt is { } failedAt && time.GetUtcNow() - failedAt < TimeSpan.FromMinutes(1))
        {
            grace = TimeSpan.FromMilliseconds(Math.Min(grace.TotalMilliseconds, 500));
        }

        Task<bool> flush = Task.Run(() => export.Flush(grace), CancellationToken.None);
        if (await Task.WhenAny(flush, Task.Delay(grace, time, CancellationToken.None)).ConfigureAwait(false) != flush || !await flush.ConfigureAwait(false))
        {
            FlushIncomplete(log, grace.TotalSeconds);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The host disposes its services synchronously: nothing here may wait.
        _stop.Cancel();

        // Disposing the providers shuts their exporters down, which may wait for the collector: never on this thread.
        _ = Task.Run(() =>
        {
            export.Dispose();
            metrics.Dispose();
            Problems?.Dispose();
        });
    }

    /// <summary>Handles one event (the loop's step; tests call it directly).</summary>
    public void Handle(HostEvent hostEvent)
    {
        switch (hostEvent)
        {
            case CompactionRecorded compaction:
                if (_hold.Take(compaction, time.GetUtcNow()) is { } complete)
                {
                    ExportCompaction(complete);
                }

                break;
            case SessionForked fork:
                metrics.Fork(fork);
                export.Emit(EventRecords.Fork(fork));
                break;
            case AgentRestarted restart:
                metrics.Restart(restart);
                export.Emit(EventRecords.Restart(restart));
                break;
            case SessionOpened open:
                export.Emit(EventRecords.Open(open, options.IncludeCwd));
                break;
            case CacheWentCold cold:
                metrics.Cold(cold);
                export.Emit(EventRecords.Cold(cold));
                break;
            case ContextFillChanged fill:
                metrics.Fill(fill);
                break;
            case EventsDropped dropped:
                FellBehind(log, dropped.Count);
                break;
        }
    }

    /// <summary>Sends the held compactions whose time is up (the loop's other step).</summary>
    public void SendDue(bool all = false)
    {
        foreach (CompactionRecorded due in _hold.Due(time.GetUtcNow(), all))
        {
            ExportCompaction(due);
        }
    }

    private void ExportCompaction(CompactionRecorded compaction)
    {
        metrics.Compaction(compaction.Record);
        export.Emit(EventRecords.Compaction(compaction.Record, options.IncludeCwd));
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Ends when StopAsync has completed the subscription and everything published before was read.
                await ReadAsync(Volatile.Read(ref _subscription)!, stop).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Telemetry must never take the host down: log, and go on with the next event.
                HandleFailed(log, ex);
            }
        }
    }

    private async Task ReadAsync(HostEventBus.Subscription subscription, CancellationToken stop)
    {
        while (true)
        {
            DateTimeOffset? due = _hold.NextDue;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
            if (due is { } until)
            {
                wait.CancelAfter(Max(until - time.GetUtcNow(), TimeSpan.Zero));
            }

            bool more;
            try
            {
                more = await subscription.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                SendDue();
                continue;
            }

            if (!more)
            {
                return;
            }

            while (subscription.Reader.TryRead(out HostEvent? hostEvent))
            {
                Handle(hostEvent);
            }

            SendDue();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Telemetry on: events and metrics exported over OTLP (OTEL_EXPORTER_OTLP_* settings)")]
    private static partial void Started(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Telemetry fell behind the host's events: {Count} event(s) were not kept for it and are missing from the export")]
    private static partial void FellBehind(ILogger logger, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Telemetry could not export an event")]
    private static partial void HandleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Telemetry: not everything was sent within the shutdown grace ({Seconds} s); the rest is dropped")]
    private static partial void FlushIncomplete(ILogger logger, double seconds);
}
