using System.Diagnostics.Tracing;
using AcpHost.Telemetry;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Telemetry;

/// <summary>
/// The count of the OpenTelemetry SDK's failed exports, read from its event sources. Here an event source of the same
/// name stands in for the exporter's; the end-to-end test <c>Otlp_CollectorNotThere_ExportProblemsLogged</c> checks
/// the real one in the published builds (NativeAOT leaves EventSource out unless the project keeps it).
/// </summary>
public class ExportProblemsTests
{
    private const int Timeout = 10_000;

    [EventSource(Name = "OpenTelemetry-Exporter-OpenTelemetryProtocol")]
    private sealed class FakeExporterSource : EventSource
    {
        [Event(4, Level = EventLevel.Warning, Message = "Exporter failed send data to collector to {0} endpoint. Data will not be sent. Exception: {1}")]
        public void FailedToReachCollector(string endpoint, string exception) => WriteEvent(4, endpoint, exception);

        [Event(5, Level = EventLevel.Informational, Message = "Exported {0}")]
        public void Exported(string what) => WriteEvent(5, what);
    }

    [Fact(Timeout = Timeout)]
    public async Task OnEventWritten_ExporterWarnings_AreCountedAndTheFirstLoggedWithItsReason()
    {
        var log = new ListLogger<ExportProblems>();
        using var source = new FakeExporterSource();
        using ExportProblems problems = ExportProblems.Start(log);

        source.Exported("fine");
        source.FailedToReachCollector("http://127.0.0.1:1/v1/logs", "System.Net.Http.HttpRequestException: Connection refused\n   at somewhere");
        source.FailedToReachCollector("http://127.0.0.1:1/v1/logs", "again");

        Assert.Equal(2, problems.Total);
        Assert.StartsWith("Exporter failed send data to collector to http://127.0.0.1:1/v1/logs endpoint", problems.LastReason, StringComparison.Ordinal);
        // One line a minute at most: the first problem is logged at once, the second waits to be counted in the next.
        var line = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("Telemetry export: 1 problem(s)", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("at somewhere", line.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
