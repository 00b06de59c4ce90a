using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>An agent crash under an ACP v2 client: the cut turn ends, the session comes back as it was, the user is told.</summary>
[Collection(RealAgentCollection.Name)]
public class V2RecoveryTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task AgentKilledMidTurn_V2Client_TheTurnEndsWithAnErrorAndTheSessionComesBackWithItsMode()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeV2Async();
        string sessionId = RealAgentSession.Result(await session.Host.RequestAsync("session/new", new JsonObject { ["cwd"] = session.WorkDir }, RealAgentSession.StepTimeout)).GetProperty("sessionId").GetString()!;
        session.Api.ReplyText = "Before the crash.";
        Assert.Equal("end_turn", (await session.PromptV2Async(sessionId, "Remember the word marmalade")).GetProperty("stopReason").GetString());
        RealAgentSession.Result(await session.Host.RequestAsync("session/set_config_option", new JsonObject { ["sessionId"] = sessionId, ["configId"] = "mode", ["type"] = "id", ["value"] = "plan" }, RealAgentSession.StepTimeout));

        // A v2 prompt is answered as soon as it is taken in; the turn then runs until the agent dies.
        session.Api.ReplyDelay = TimeSpan.FromSeconds(60);
        Assert.True((await session.PromptAsync(sessionId, "This turn dies")).TryGetProperty("result", out _));
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await session.Api.WaitForRequestAsync(r => r.Kind == FakeApiRequestKind.Turn && r.LastUserText!.Contains("This turn dies", StringComparison.Ordinal), waiting.Token);
        }

        int from = session.Host.MessageCount;
        using (Process agent = Process.GetProcessById(await session.Host.AgentPidAsync(TimeSpan.FromSeconds(5))))
        {
            agent.Kill();
        }

        // The client is waiting for the turn's idle: the host sends it, with the error, as the agent does for a failed turn.
        JsonElement ended = (await session.Host.WaitForAsync(m => RealAgentSession.IsUpdate(m, sessionId, "state_update") && m.GetProperty("params").GetProperty("update").GetProperty("state").GetString() == "idle", TimeSpan.FromSeconds(60), from))
            .GetProperty("params").GetProperty("update");
        Assert.Equal("error", ended.GetProperty("stopReason").GetString());
        Assert.Equal(-32603, ended.GetProperty("error").GetProperty("code").GetInt32());
        JsonElement restarted = (await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/agent_restarted", TimeSpan.FromSeconds(90), from)).GetProperty("params");
        Assert.Equal((1, 0), (restarted.GetProperty("sessionsResumed").GetInt32(), restarted.GetProperty("sessionsLost").GetInt32()));
        JsonElement told = await session.Host.WaitForAsync(m => RealAgentSession.IsNotice(m, "agent-restarted"), TimeSpan.FromSeconds(30), from);
        Assert.Equal("notice", told.GetProperty("params").GetProperty("update").GetProperty("sessionUpdate").GetString());
        Assert.Contains("The turn that was running ended with an error", RealAgentSession.NoticeText(told), StringComparison.Ordinal);
        Assert.DoesNotContain(session.Host.Messages.Skip(from), m => RealAgentSession.IsUpdate(m, sessionId, "current_mode_update"));

        // Taken back with session/resume (v2 has no load), with its history and the mode the user chose.
        session.Api.ReplyDelay = TimeSpan.Zero;
        Assert.Equal("end_turn", (await session.PromptV2Async(sessionId, "Are you back?")).GetProperty("stopReason").GetString());
        Assert.Contains("marmalade", session.Api.Requests.Last(r => r.Kind == FakeApiRequestKind.Turn).Body, StringComparison.Ordinal);
        JsonElement state = RealAgentSession.Result(await session.Host.RequestAsync("session/resume", new JsonObject { ["sessionId"] = sessionId, ["cwd"] = session.WorkDir }, RealAgentSession.StepTimeout));
        Assert.Equal("plan", state.GetProperty("configOptions").EnumerateArray().Single(o => o.GetProperty("configId").GetString() == "mode").GetProperty("currentValue").GetString());
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }
}
