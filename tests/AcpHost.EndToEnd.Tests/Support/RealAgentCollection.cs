namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// Tests that run the real agent share one install and run one at a time: each agent is a node process plus a
/// native one, and the machines have two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealAgentCollection : ICollectionFixture<AgentInstall>
{
    public const string Name = "real agent";
}
