using AcpHost.Agent;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AcpHost.Telemetry;

/// <summary>
/// The OpenTelemetry SDK's providers: a logger for the events, a meter provider reading the <c>acphost</c> meter, both
/// exporting over OTLP as the <c>OTEL_EXPORTER_OTLP_*</c> variables say (endpoint, protocol, headers, per signal or
/// not). Records wait in the SDK's batch processor (bounded, 2,048) and go out on its own thread; metrics are collected
/// and sent by the periodic reader's thread (<c>OTEL_METRIC_EXPORT_INTERVAL</c>). Nothing here runs on the relay's
/// threads. Only this type and <see cref="TelemetryRegistration"/> name OpenTelemetry types.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly LoggerProvider _loggerProvider;
    private readonly MeterProvider? _meterProvider;
    private readonly ILogger _logger;
    private readonly OriginalTimestamp _timestamp = new();

    /// <param name="agent">The agent's settings, for the resource.</param>
    /// <param name="configureLogs">Adds the log exporter (OTLP by default; tests add an in-memory one).</param>
    /// <param name="configureMetrics">Adds the metric exporter (OTLP by default).</param>
    /// <param name="withMetrics">False for events only (the scan's backfill has no metrics to send).</param>
    public OtlpExport(AgentOptions? agent, Action<OpenTelemetryLoggerOptions>? configureLogs = null, Action<MeterProviderBuilder>? configureMetrics = null, bool withMetrics = true)
    {
        // A logging pipeline of its own, not the host's: only the events go out, never the host's log lines (which at
        // trace level hold prompts).
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddOpenTelemetry(options =>
            {
                options.IncludeFormattedMessage = false;
                options.IncludeScopes = false;
                options.SetResourceBuilder(Resource(agent));
                options.AddProcessor(_timestamp);
                (configureLogs ?? (o => o.AddOtlpExporter()))(options);
            }));
        _services = services.BuildServiceProvider();
        _loggerProvider = _services.GetRequiredService<LoggerProvider>();
        _logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger(TelemetryNames.Scope);

        if (!withMetrics)
        {
            return;
        }

        MeterProviderBuilder metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(Resource(agent)).AddMeter(TelemetryNames.Scope);
        (configureMetrics ?? (b => b.AddOtlpExporter()))(metrics);
        _meterProvider = metrics.Build();
    }

    /// <summary>
    /// Hands one event to the batch processor, stamped with the time it happened. Never waits: a full queue drops it.
    /// Called from one thread at a time (the telemetry loop, or the scan's backfill).
    /// </summary>
    public void Emit(TelemetryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _timestamp.Next = record.At.UtcDateTime;
        _logger.Log(LogLevel.Information, new EventId(0, record.EventName), record.Attributes, null, static (_, _) => "");
    }

    /// <summary>Sends what waits, within <paramref name="timeout"/>; true when all went out.</summary>
    public bool Flush(TimeSpan timeout)
    {
        int milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        bool logs = _loggerProvider.ForceFlush(milliseconds);
        bool metrics = _meterProvider?.ForceFlush(milliseconds) ?? true;
        return logs && metrics;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _meterProvider?.Dispose();
        _services.Dispose();
    }

    // The host's defaults first, the environment's last, so that OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win
    // as they do everywhere.
    private static ResourceBuilder Resource(AgentOptions? agent) => ResourceBuilder.CreateEmpty()
        .AddAttributes(TelemetryResource.Attributes(agent))
        .AddTelemetrySdk()
        .AddEnvironmentVariableDetector();

    /// <summary>
    /// Gives each record the time its event happened instead of the time it was logged (a compaction held for its
    /// counts, or found in an old transcript). Runs on the emitting thread, before the batch processor sees the record.
    /// </summary>
    private sealed class OriginalTimestamp : BaseProcessor<LogRecord>
    {
        public DateTime? Next { get; set; }

        public override void OnEnd(LogRecord data)
        {
            if (Next is { } at)
            {
                data.Timestamp = at;
                Next = null;
            }
        }
    }
}
