using AcpHost.Events;
using AcpHost.Agent;
using AcpHost.Relay.Relay;
using AcpHost.Telemetry;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;

namespace AcpHost.Tests.Telemetry;

/// <summary>
/// The telemetry subscriber with the SDK's in-memory exporters in place of OTLP: what it would send, read back.
/// </summary>
internal sealed class TelemetryRig : IDisposable
{
    public TelemetryRig(bool includeCwd = false, bool perSession = false)
    {
        Export = new OtlpExport(
            new AgentOptions(),
            logs => logs.AddInMemoryExporter(Logs),
            metrics => metrics.AddInMemoryExporter(Metrics));
        HostMetrics = new HostMetrics(perSession, Relay);
        Service = new TelemetryService(
            new HostEventBus(),
            Export,
            HostMetrics,
            new TelemetryOptions { IncludeCwd = includeCwd, PerSessionMetrics = perSession },
            Options.Create(new RelayOptions()),
            TimeProvider.System,
            new ListLogger<TelemetryService>());
    }

    public List<LogRecord> Logs { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    public RelayCounters Relay { get; } = new();

    public OtlpExport Export { get; }

    public TelemetryService Service { get; }

    private HostMetrics HostMetrics { get; }

    /// <summary>Sends what waits and returns the records named <paramref name="eventName"/>.</summary>
    public List<LogRecord> Records(string eventName)
    {
        Service.SendDue(all: true);
        Assert.True(Export.Flush(TimeSpan.FromSeconds(5)));
        return [.. Logs.Where(l => l.EventId.Name == eventName)];
    }

    /// <summary>The latest collection's points of one metric.</summary>
    public IReadOnlyList<MetricPoint> Points(string metric)
    {
        Metrics.Clear();
        Assert.True(Export.Flush(TimeSpan.FromSeconds(5)));
        MetricSnapshot? snapshot = Metrics.LastOrDefault(m => m.Name == metric);
        return snapshot?.MetricPoints ?? [];
    }

    public static Dictionary<string, object?> Attributes(LogRecord record) =>
        (record.Attributes ?? []).ToDictionary(a => a.Key, a => a.Value);

    public static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    public void Dispose()
    {
        Export.Dispose();
        HostMetrics.Dispose();
    }
}
