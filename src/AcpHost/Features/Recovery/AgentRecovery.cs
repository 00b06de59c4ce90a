using AcpHost.Agent;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;

namespace AcpHost.Features.Recovery;

/// <summary>The relay's recovery: the restart policy, the launcher, and the session restorer, together.</summary>
public sealed class AgentRecovery(RestartPolicy policy, AgentLauncher launcher, SessionRestorer restorer) : IAgentRecovery
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
