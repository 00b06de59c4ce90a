using AcpHost.Telemetry;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Tests.Telemetry;

public sealed class TelemetrySwitchTests
{
    [Theory(Timeout = 10_000)]
    [InlineData(null, null, null, null, false)]
    [InlineData("true", null, null, null, true)]
    [InlineData(null, "http://collector:4318", null, null, true)]
    [InlineData(null, null, "http://collector:4318/v1/logs", null, true)]
    [InlineData("false", "http://collector:4318", null, null, false)]
    [InlineData(null, "http://collector:4318", null, "true", false)]
    [InlineData("true", null, null, "true", true)]
    [InlineData(null, "  ", null, null, false)]
    public async Task IsOn_SettingAndVariables_AsDocumented(string? enabled, string? endpoint, string? logsEndpoint, string? sdkDisabled, bool expected)
    {
        await Task.Yield();
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(enabled is null ? [] : [new("Telemetry:Enabled", enabled)])
            .Build();
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = logsEndpoint,
            ["OTEL_SDK_DISABLED"] = sdkDisabled,
        };

        Assert.Equal(expected, TelemetrySwitch.IsOn(configuration, name => environment.GetValueOrDefault(name)));
    }
}
