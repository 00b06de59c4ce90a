using AcpHost.EndToEnd.Tests.Otlp;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// Telemetry settings the OpenTelemetry SDK refuses (a header without '=', a metric interval of 0, a certificate file
/// that is not there) turn telemetry off with a warning; the relay runs as without them. The agent is <c>cat</c>: the
/// test needs a relay that answers, not a real agent.
/// </summary>
public class TelemetrySettingsTests
{
    private const int Timeout = 90_000;

    private const string Request = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""";

    [Theory(Timeout = Timeout)]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "Authorization")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "0")]
    [InlineData("OTEL_EXPORTER_OTLP_CERTIFICATE", "/nonexistent/ca.pem")]
    public async Task BadOtelSetting_TelemetryIsOffWithAWarningAndTheRelayRuns(string name, string value)
    {
        using var data = new TempDirectory("acphost-otel-bad");
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = ClosedCollector.Endpoint(),
            [name] = value,
        };

        (int exitCode, string stdout, string stderr) = await HostCommand.RunAsync(
            ["run", "--data-dir", data.Path, "--", "cat"], environment, TimeSpan.FromSeconds(60), stdin: Request + "\n");

        Assert.Equal(0, exitCode);
        Assert.Contains(Request, stdout, StringComparison.Ordinal);
        Assert.Contains("Telemetry is off", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", stderr, StringComparison.Ordinal);
    }
}
