using System.Runtime.CompilerServices;
using AcpHost.Events;
using AcpHost.Hosting;
using AcpHost.Relay.Relay;
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
public static class TelemetryRegistration
{
    /// <summary>Registers the exporter, the metrics and the subscriber.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        TelemetryOptions options = TelemetrySwitch.Options(configuration);
        services.AddSingleton(options);
        services.AddSingleton(_ => new OtlpExport(AgentOptions.From(configuration)));
        services.AddSingleton(sp => new HostMetrics(options.PerSessionMetrics, sp.GetRequiredService<RelayCounters>()));
        services.AddSingleton(sp => ExportProblems.Start(sp.GetRequiredService<ILoggerFactory>().CreateLogger<ExportProblems>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TelemetryService(
            sp.GetRequiredService<HostEventBus>(),
            Listening(sp),
            sp.GetRequiredService<HostMetrics>(),
            options,
            sp.GetRequiredService<IOptions<RelayOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TelemetryService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryService>());
    }

    // The problem listener starts before the exporter, so that it hears the exporter's first complaint.
    private static OtlpExport Listening(IServiceProvider services)
    {
        services.GetRequiredService<ExportProblems>();
        return services.GetRequiredService<OtlpExport>();
    }
}
