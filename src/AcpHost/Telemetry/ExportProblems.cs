using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace AcpHost.Telemetry;

/// <summary>
/// Counts what the OpenTelemetry SDK and its OTLP exporter report going wrong (a collector down, slow or refusing:
/// failed exports, dropped records) from their event sources, and logs it at most once a minute, with the count since
/// the last line and the latest reason. The SDK does the dropping (its queues are bounded); this makes it visible
/// without a log line per failure.
/// </summary>
internal sealed partial class ExportProblems : EventListener
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private ILogger? _log;
    private TimeProvider _time = TimeProvider.System;
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;
    private long _unreported;
    private long _total;
    private string? _lastReason;
    private DateTimeOffset? _lastProblemAt;

    /// <summary>Starts listening; problems are logged to <paramref name="log"/>.</summary>
    public static ExportProblems Start(ILogger log, TimeProvider? time = null)
    {
        var problems = new ExportProblems();
        lock (problems._lock)
        {
            problems._log = log;
            problems._time = time ?? TimeProvider.System;
        }

        return problems;
    }

    /// <summary>The latest problem's description, if any.</summary>
    public string? LastReason
    {
        get { lock (_lock) { return _lastReason; } }
    }

    /// <summary>Problems counted since the start.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <inheritdoc/>
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Called from the base constructor too, before this type's fields are set: touch none of them here.
        if (eventSource.Name.StartsWith("OpenTelemetry-", StringComparison.Ordinal))
        {
            EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    /// <inheritdoc/>
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!IsProblem(eventData))
        {
            return;
        }

        Interlocked.Increment(ref _total);
        // The exporter's messages carry whole stack traces: the first line says what happened.
        string reason = Describe(eventData).Split('\n', 2)[0].Trim();
        reason = reason.Length > 500 ? reason[..500] + "…" : reason;
        long count;
        ILogger? log;
        lock (_lock)
        {
            _unreported++;
            _lastReason = reason;
            _lastProblemAt = _time.GetUtcNow();
            if (_log is null || _time.GetUtcNow() - _lastLogged < Interval)
            {
                return;
            }

            _lastLogged = _time.GetUtcNow();
            count = _unreported;
            _unreported = 0;
            log = _log;
        }

        Problems(log, count, reason);
    }

    /// <summary>When the latest problem was seen, if any.</summary>
    public DateTimeOffset? LastProblemAt
    {
        get { lock (_lock) { return _lastProblemAt; } }
    }

    // The exporter's warnings are failed exports; of the SDK's own, only errors and dropped records are (its other
    // warnings are about configuration, such as meters it was not asked to listen to).
    private static bool IsProblem(EventWrittenEventArgs eventData) =>
        eventData.EventSource.Name switch
        {
            "OpenTelemetry-Exporter-OpenTelemetryProtocol" => eventData.Level <= EventLevel.Warning,
            { } name when name.StartsWith("OpenTelemetry-", StringComparison.Ordinal) =>
                eventData.Level <= EventLevel.Error || eventData.EventName?.Contains("Drop", StringComparison.Ordinal) == true,
            _ => false,
        };

    private static string Describe(EventWrittenEventArgs eventData)
    {
        try
        {
            return eventData.Message is { Length: > 0 } message && eventData.Payload is { } payload
                ? string.Format(CultureInfo.InvariantCulture, message, [.. payload])
                : eventData.EventName ?? "unknown";
        }
        catch (FormatException)
        {
            return eventData.EventName ?? "unknown";
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Telemetry export: {Count} problem(s) since the last report (exports failed or records dropped; at most one line a minute), the latest: {Reason}")]
    private static partial void Problems(ILogger logger, long count, string reason);
}
