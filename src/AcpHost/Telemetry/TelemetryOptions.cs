namespace AcpHost.Telemetry;

/// <summary>
/// OpenTelemetry export, bound from the <c>Telemetry</c> section. Where it goes and how (endpoint, protocol, headers,
/// service name, resource attributes, metric interval) is the standard <c>OTEL_*</c> environment variables' business.
/// </summary>
internal sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Telemetry";

    /// <summary>
    /// On or off (<c>--otlp</c> sets it). Unset: on exactly when an OTLP endpoint variable is set
    /// (see <see cref="TelemetrySwitch"/>).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Send a session's working directory as it is; by default only its SHA-256 is sent (paths are personal data).</summary>
    public bool IncludeCwd { get; set; }

    /// <summary>Give the context-fill gauge one series per session (<c>session.id</c>); by default one series, the fullest live session.</summary>
    public bool PerSessionMetrics { get; set; }
}
