using AcpHost.Acp;
using AcpHost.Agent;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.Settings;
using AcpHost.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Hosting;

/// <summary>
/// Builds the relay the host runs: the process's stdio on one side, the agent on the other, ACP's dialect, the
/// features' interceptors, agent recovery when restarts are allowed, the message trace when one is asked for, the counters telemetry reads,
/// the watchdog that holds the host to its shutdown bound; and attaches it as the outlet features send through outside an interception.
/// </summary>
internal sealed class RelayFactory(
    StdioStreams stdio,
    IEnumerable<IMessageInterceptor> interceptors,
    AgentRecovery recovery,
    IOptions<RestartOptions> restartOptions,
    IOptions<RelayOptions> relayOptions,
    IOptions<HostSettings> settings,
    ClientChannel clientChannel,
    RelayCounters counters,
    ShutdownWatchdog watchdog,
    ILoggerFactory loggerFactory)
{
    /// <summary>The trace file the settings ask for, or null; the caller disposes it once the relay has ended.</summary>
    public MessageTrace? OpenTrace() =>
        string.IsNullOrWhiteSpace(settings.Value.Trace) ? null : MessageTrace.Open(settings.Value.Trace);

    /// <summary>A relay that owns <paramref name="agent"/> from now on, and any agent a restart brings.</summary>
    public JsonRpcRelay Create(IAgentConnection agent, MessageTrace? trace)
    {
        var relay = new JsonRpcRelay(stdio.Input, stdio.Output, agent, new RelaySetup
        {
            Options = relayOptions.Value,
            Dialect = AcpDialect.Instance,
            Interceptors = interceptors,
            Recovery = restartOptions.Value.MaxRestarts > 0 ? recovery : null,
            Trace = trace,
            Log = loggerFactory.CreateLogger<JsonRpcRelay>(),
            Counters = counters,
            Ending = watchdog.Arm,
        });
        clientChannel.Attach(relay);
        return relay;
    }
}
