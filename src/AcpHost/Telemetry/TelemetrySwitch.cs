using Microsoft.Extensions.Configuration;

namespace AcpHost.Telemetry;

/// <summary>
/// Decides whether telemetry is on without touching any OpenTelemetry type: with it off, the OpenTelemetry assemblies
/// are never loaded (the start-up and memory of the host stay what they were).
/// </summary>
internal static class TelemetrySwitch
{
    /// <summary>The variables that, set, turn export on by themselves (as they do for any OpenTelemetry SDK).</summary>
    public static readonly IReadOnlyList<string> EndpointVariables =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    ];

    /// <summary>
    /// On when <c>Telemetry:Enabled</c> says so (<c>--otlp</c>); off when it says false or <c>OTEL_SDK_DISABLED=true</c>;
    /// otherwise on exactly when an OTLP endpoint variable is set.
    /// </summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="environment">Where the <c>OTEL_*</c> variables are read (the process environment when null).</param>
    public static bool IsOn(IConfiguration configuration, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        environment ??= Environment.GetEnvironmentVariable;
        if (bool.TryParse(configuration[TelemetryOptions.Section + ":Enabled"], out bool enabled))
        {
            return enabled;
        }

        if (string.Equals(environment("OTEL_SDK_DISABLED")?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return EndpointVariables.Any(name => !string.IsNullOrWhiteSpace(environment(name)));
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is the OpenTelemetry SDK refusing the user's <c>OTEL_*</c> settings while an
    /// exporter is built (a header without '=', an interval of 0, a certificate file that is not there): said to the
    /// user, never a crash.
    /// </summary>
    public static bool IsRefusedSetting(Exception exception) =>
        exception is ArgumentException or IOException or InvalidOperationException or FormatException or NotSupportedException
            or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException;

    /// <summary>The <c>Telemetry</c> section, bound.</summary>
    public static TelemetryOptions Options(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(TelemetryOptions.Section);
        return new TelemetryOptions
        {
            Enabled = bool.TryParse(section["Enabled"], out bool enabled) ? enabled : null,
            IncludeCwd = bool.TryParse(section["IncludeCwd"], out bool cwd) && cwd,
            PerSessionMetrics = bool.TryParse(section["PerSessionMetrics"], out bool perSession) && perSession,
        };
    }
}
