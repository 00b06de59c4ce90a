using System.Runtime.CompilerServices;
using AcpHost.Events;
using AcpHost.Agent;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Telemetry;

/// <summary>
/// Plugs telemetry into the host, when <see cref="TelemetrySwitch.IsOn"/>. The only door to the OpenTelemetry types:
/// the caller names nothing of them, and this method is never inlined into it, so with telemetry off the JIT never
/// compiles a line that would load an OpenTelemetry assembly.
/// </summary>
internal static partial class TelemetryRegistration
{
    /// <summary>Registers the exporter, the metrics and the subscriber.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        TelemetryOptions options = TelemetrySwitch.Options(configuration);

        // The exporter and the metrics belong to the service, not to the container: the container would dispose them
        // at exit on its own thread, and shutting an exporter down waits for an unreachable collector. The service
        // flushes within the grace and lets go of them off the exit path.
        services.AddSingleton<IHostedService>(sp =>
        {
            ExportProblems problems = ExportProblems.Start(sp.GetRequiredService<ILoggerFactory>().CreateLogger<ExportProblems>(), sp.GetRequiredService<TimeProvider>());
            OtlpExport export;
            try
            {
                export = new OtlpExport(AgentOptions.From(configuration));
            }
            catch (Exception ex) when (TelemetrySwitch.IsRefusedSetting(ex))
            {
                // The user's OTEL_* settings must never keep the relay from starting: telemetry is off, and says why.
                problems.Dispose();
                TelemetryUnavailable(sp.GetRequiredService<ILogger<TelemetryService>>(), ex.GetType().Name, ex.Message);
                return new TelemetryOff();
            }

            return new TelemetryService(
                sp.GetRequiredService<HostEventBus>(),
                export,
                new HostMetrics(options.PerSessionMetrics, sp.GetRequiredService<RelayCounters>()),
                options,
                sp.GetRequiredService<IOptions<RelayOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<TelemetryService>>())
            {
                Problems = problems,
                Deadline = sp.GetService<ShutdownDeadline>(),
            };
        });
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Telemetry is off: the OpenTelemetry SDK refused its settings ({Kind}: {Reason}); the relay runs without it")]
    private static partial void TelemetryUnavailable(ILogger logger, string kind, string reason);
}
