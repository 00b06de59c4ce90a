using System.Globalization;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// What the forks the host makes cost on the agent: each open session runs its own <c>claude</c> process, so the host
/// closes its own forks right after making them and reopens one when it is used. Measured through /proc: the agent's
/// process tree (count and resident memory) after five <c>/fork</c>s, with the closing on (the default) and off.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class ForkCostTests(AgentInstall install, ITestOutputHelper output)
{
    private const int Timeout = 300_000;

    [Fact(Timeout = Timeout)]
    public async Task FiveSlashForks_ForksClosed_NoExtraAgentProcessAndAClosedForkStillAnswers()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        (string parent, int agentPid, Tree baseline) = await OneSessionAsync(session);

        List<string> forks = await FiveForksAsync(session, parent);

        // Closing a session ends its process: the tree comes back to what one session needs.
        Tree after = await SettledAsync(agentPid, tree => tree.Processes <= baseline.Processes);
        Report("closed (default)", baseline, after, agentPid);
        Assert.True(after.Processes <= baseline.Processes, $"{after.Processes} processes after five forks, {baseline.Processes} before:\n{Describe(agentPid)}");

        // A closed fork prompted directly is reopened by the host and answers.
        JsonElement answer = await session.PromptAsync(forks[^1], "Are you there?");
        Assert.Equal("end_turn", RealAgentSession.Result(answer).GetProperty("stopReason").GetString());
        Assert.Contains(session.Updates(forks[^1]), u => u.GetProperty("sessionUpdate").GetString() == "agent_message_chunk");
        Assert.Contains("Reopening fork " + forks[^1], session.Host.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task FiveSlashForks_ForksKeptOpen_OneAgentProcessEach()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install, "--set", "Fork:CloseHostForks=false");
        (string parent, int agentPid, Tree baseline) = await OneSessionAsync(session);

        await FiveForksAsync(session, parent);

        Tree after = await SettledAsync(agentPid, tree => tree.Processes >= baseline.Processes + 5);
        Report("kept open (Fork:CloseHostForks=false)", baseline, after, agentPid);
        Assert.True(after.Processes >= baseline.Processes + 5, Describe(agentPid));
    }

    private static async Task<(string Parent, int AgentPid, Tree Baseline)> OneSessionAsync(RealAgentSession session)
    {
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        await session.PromptAsync(parent, "Say hello");
        int agentPid = await session.Host.AgentPidAsync(RealAgentSession.StepTimeout);
        return (parent, agentPid, await SettledAsync(agentPid, _ => true));
    }

    private static async Task<List<string>> FiveForksAsync(RealAgentSession session, string parent)
    {
        var forks = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            int from = session.Host.MessageCount;
            JsonElement answer = await session.PromptAsync(parent, "/fork");
            Assert.Equal("end_turn", RealAgentSession.Result(answer).GetProperty("stopReason").GetString());
            JsonElement forked = await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked", TimeSpan.FromSeconds(30), from);
            forks.Add(forked.GetProperty("params").GetProperty("sessionId").GetString()!);
        }

        return forks;
    }

    /// <summary>
    /// The agent's process tree once <paramref name="done"/> holds and its memory has stopped moving (two readings half a
    /// second apart within 2 %), or as it is after 30 s.
    /// </summary>
    private static async Task<Tree> SettledAsync(int agentPid, Func<Tree, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Tree previous = Measure(agentPid);
        while (!limit.IsCancellationRequested)
        {
            await Task.Delay(500, CancellationToken.None);
            Tree current = Measure(agentPid);
            if (done(current) && current.Processes == previous.Processes && Math.Abs(current.RssBytes - previous.RssBytes) <= previous.RssBytes / 50)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private static Tree Measure(int agentPid)
    {
        int[] tree = ProcessTable.TreeOf(agentPid);
        return new Tree(tree.Length, tree.Sum(ProcessTable.RssBytes));
    }

    private void Report(string mode, Tree baseline, Tree after, int agentPid)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"forks {mode}: agent tree {baseline.Processes} processes / {baseline.RssBytes / 1048576.0:F0} MiB with one session, {after.Processes} processes / {after.RssBytes / 1048576.0:F0} MiB after five /forks"));
        output.WriteLine(Describe(agentPid));
    }

    private static string Describe(int agentPid) => string.Join('\n', ProcessTable.TreeOf(agentPid).Select(pid =>
        string.Create(CultureInfo.InvariantCulture, $"  {pid} {ProcessTable.RssBytes(pid) / 1048576.0:F0} MiB {Truncate(ProcessTable.CommandLine(pid))}")));

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "…";

    private sealed record Tree(int Processes, long RssBytes);
}
