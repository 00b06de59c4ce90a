using AcpHost.Relay.Transport;
using Microsoft.Extensions.Options;

namespace AcpHost.Agent;

/// <summary>
/// Decides what to start as the agent: the command given after <c>--</c> (or in <c>Agent:Command</c>), else the
/// pinned Claude agent package run with node, installed first if needed.
/// </summary>
internal sealed class AgentLaunchResolver(IOptions<AgentOptions> options, AgentInstaller installer)
{
    /// <summary>The launch, and a short description of the agent for the log.</summary>
    public async Task<(AgentLaunch Launch, string Description)> ResolveAsync(CancellationToken cancellationToken)
    {
        AgentOptions agent = options.Value;
        if (!string.IsNullOrWhiteSpace(agent.Command))
        {
            var custom = new AgentLaunch(agent.Command, [.. agent.Args]);
            return (custom, custom.Display);
        }

        string entry = await installer.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        return (new AgentLaunch(agent.Node, [entry]), installer.Package.Spec);
    }
}
