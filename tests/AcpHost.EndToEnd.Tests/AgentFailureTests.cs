using System.Diagnostics;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

[Collection(RealAgentCollection.Name)]
public class AgentFailureTests(AgentInstall install)
{
    private const int Timeout = 180_000;

    [Fact(Timeout = Timeout)]
    public async Task AgentKilledMidPrompt_RestartsOff_PendingPromptGetsAnErrorAndHostExitsNonZero()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install, "--set", "Agent:Restart:MaxRestarts=0");
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        session.Api.ReplyDelay = TimeSpan.FromSeconds(60);

        Task<JsonElement> prompt = session.PromptAsync(sessionId, "Take your time");
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await session.Api.WaitForRequestAsync(r => r.Kind == FakeApiRequestKind.Turn, waiting.Token);
        }

        int agentPid = await session.Host.AgentPidAsync(TimeSpan.FromSeconds(30));
        int[] agentChildren = ProcessTable.ChildrenOf(agentPid);
        Assert.NotEmpty(agentChildren); // the native claude process, busy with the stalled model call
        using (Process agent = Process.GetProcessById(agentPid))
        {
            agent.Kill(); // node alone, as an OOM killer or a stray kill -9 would
        }

        JsonElement response = await prompt;
        JsonElement error = response.GetProperty("error");
        Assert.Equal(-32603, error.GetProperty("code").GetInt32());
        Assert.Equal(137, error.GetProperty("data").GetProperty("exitCode").GetInt32());
        Assert.Equal(JsonValueKind.Array, error.GetProperty("data").GetProperty("stderr").ValueKind);

        int exitCode = await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Agent exited unexpectedly (code 137)", session.Host.Stderr, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);

        // The agent's own child did not outlive it, although its model call was still open.
        Assert.All(agentChildren, pid => Assert.False(ProcessTable.IsAlive(pid), $"process {pid} of the dead agent is still running"));
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentKilledMidSession_IsRestartedAndTheSameSessionIdGoesOn()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        session.Api.ReplyText = "Before the crash.";
        await session.PromptAsync(sessionId, "Remember the word marmalade");
        session.Api.ReplyDelay = TimeSpan.FromSeconds(60);

        Task<JsonElement> inFlight = session.PromptAsync(sessionId, "This turn dies");
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await session.Api.WaitForRequestAsync(r => r.Kind == FakeApiRequestKind.Turn && r.LastUserText!.Contains("This turn dies", StringComparison.Ordinal), waiting.Token);
        }

        int from = session.Host.MessageCount;
        int firstAgent = await session.Host.AgentPidAsync(TimeSpan.FromSeconds(30));
        using (Process agent = Process.GetProcessById(firstAgent))
        {
            agent.Kill();
        }

        // The turn in flight is lost, with an error rather than silence...
        JsonElement lost = await inFlight;
        Assert.Equal(-32603, lost.GetProperty("error").GetProperty("code").GetInt32());

        // ...then a new agent is started, told the client's initialize again, and takes the session back.
        JsonElement restarted = (await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/agent_restarted", TimeSpan.FromSeconds(60), from)).GetProperty("params");
        Assert.Equal((1, 137, 1, 0), (restarted.GetProperty("attempt").GetInt32(), restarted.GetProperty("exitCode").GetInt32(), restarted.GetProperty("sessionsResumed").GetInt32(), restarted.GetProperty("sessionsLost").GetInt32()));

        // The client's session id keeps working, with its history: the next turn still carries the first prompt.
        session.Api.ReplyDelay = TimeSpan.Zero;
        session.Api.ReplyText = "After the restart.";
        JsonElement next = await session.PromptAsync(sessionId, "Are you back?");
        Assert.Equal("end_turn", RealAgentSession.Result(next).GetProperty("stopReason").GetString());
        Assert.Contains("marmalade", session.Api.Requests.Last(r => r.Kind == FakeApiRequestKind.Turn).Body, StringComparison.Ordinal);
        Assert.False(ProcessTable.IsAlive(firstAgent));
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);

        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact(Timeout = Timeout)]
    public async Task Sigterm_ShutsDownGracefullyAndLeavesNoAgentBehind()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        await session.NewSessionAsync();
        int agentPid = await session.Host.AgentPidAsync(TimeSpan.FromSeconds(30));

        HostUnderTest.Signal(session.Host.ProcessId, "TERM");

        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(ProcessTable.IsAlive(agentPid), "the agent outlived the host");
        Assert.Contains("Stop requested", session.Host.Stderr, StringComparison.Ordinal);
    }
}
