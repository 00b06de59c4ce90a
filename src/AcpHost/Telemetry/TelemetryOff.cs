using Microsoft.Extensions.Hosting;

namespace AcpHost.Telemetry;

/// <summary>
/// What runs in place of <see cref="TelemetryService"/> when the OpenTelemetry SDK refused the user's settings (a header
/// without '=', a metric interval of 0, a certificate file that is not there): nothing. The refusal was logged; the relay
/// runs as it would with telemetry off.
/// </summary>
internal sealed class TelemetryOff : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
