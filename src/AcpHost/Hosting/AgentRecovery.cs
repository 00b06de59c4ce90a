using AcpHost.Agent;
using AcpHost.Features.Recovery;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;

namespace AcpHost.Hosting;

/// <summary>
/// The relay's recovery, composed here because it joins two rooms: restarting the agent (the restart policy and the
/// launcher: supervision) and putting its sessions back (the session restorer: the recovery feature).
/// </summary>
internal sealed class AgentRecovery(RestartPolicy policy, AgentLauncher launcher, SessionRestorer restorer) : IAgentRecovery
{
    /// <inheritdoc/>
    public TimeSpan? NextRestartDelay(AgentExit lastExit) => policy.NextDelay();

    /// <inheritdoc/>
    public async Task<IAgentConnection> StartAgentAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await launcher.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AgentInstallException ex)
        {
            throw new AgentStartException(ex.Message, ex);
        }
    }

    /// <inheritdoc/>
    public Task RestoreAsync(IRelayOutlet relay, AgentRestart restart, CancellationToken cancellationToken) =>
        restorer.RestoreAsync(relay, restart, cancellationToken);
}
