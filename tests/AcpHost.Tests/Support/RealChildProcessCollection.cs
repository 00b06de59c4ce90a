namespace AcpHost.Tests.Support;

/// <summary>
/// Tests that start a real agent process in the test process itself (<c>AgentProcess</c>). When such an agent exits,
/// the host's orphan reaper kills every child of the process that it did not start as an agent: in a host those are
/// the agent's orphans, in this test process they would be other tests' children (ledger writers, another user's
/// client). So these tests run on their own, never beside the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealChildProcessCollection
{
    public const string Name = "Real agent process in the test process";
}
