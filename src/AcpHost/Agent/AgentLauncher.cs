using AcpHost.Relay.Transport;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Agent;

/// <summary>
/// Starts agent processes: the first one and any restart. The launch (and a first-use install) is resolved once.
/// <paramref name="readSpin"/> is each agent's stdout reader's wait before a blocking read (<c>Relay:ReadSpinMicroseconds</c>).
/// </summary>
internal sealed partial class AgentLauncher(AgentLaunchResolver resolver, HostState state, ILoggerFactory loggers, TimeSpan readSpin)
{
    private readonly ILogger _log = loggers.CreateLogger<AgentLauncher>();
    private (AgentLaunch Launch, string Description)? _resolved;

    /// <summary>Where each started agent is recorded.</summary>
    public HostState State => state;

    /// <summary>Starts an agent; throws <see cref="AgentInstallException"/> or <see cref="AgentStartException"/> when it cannot.</summary>
    public async Task<AgentProcess> StartAsync(CancellationToken cancellationToken)
    {
        _resolved ??= await resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        (AgentLaunch launch, string description) = _resolved.Value;
        AgentProcess agent = AgentProcess.Start(launch, loggers.CreateLogger("agent"), readSpin);
        AgentStarted(_log, agent.ProcessId, description);
        state.AgentStarted(agent.ProcessId, description);
        return agent;
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Agent started: pid {Pid}, {Agent}")]
    private static partial void AgentStarted(ILogger logger, int pid, string agent);
}
