using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>After the agent dies, the sessions are as the user left them: same mode, same model, or an honest "lost".</summary>
[Collection(RealAgentCollection.Name)]
public class RecoveryTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task AgentKilled_ModeAndModelTheClientChoseHoldAfterTheRestartAndANeverPromptedSessionIsListedLost()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        JsonElement created = RealAgentSession.Result(await session.Host.RequestAsync("session/new", new JsonObject { ["cwd"] = session.WorkDir, ["mcpServers"] = new JsonArray() }, RealAgentSession.StepTimeout));
        string sessionId = created.GetProperty("sessionId").GetString()!;
        await session.PromptAsync(sessionId, "Hello before the crash");

        // The user's choices: Plan mode (the agent's default is wider) and a model other than the default.
        string model = OtherModel(created);
        RealAgentSession.Result(await session.Host.RequestAsync("session/set_mode", new JsonObject { ["sessionId"] = sessionId, ["modeId"] = "plan" }, RealAgentSession.StepTimeout));
        RealAgentSession.Result(await session.Host.RequestAsync("session/set_config_option", new JsonObject { ["sessionId"] = sessionId, ["configId"] = "model", ["value"] = model }, RealAgentSession.StepTimeout));
        string neverPrompted = await session.NewSessionAsync();

        int from = session.Host.MessageCount;
        int firstAgent = await session.Host.AgentPidAsync(TimeSpan.FromSeconds(30));
        using (Process agent = Process.GetProcessById(firstAgent))
        {
            agent.Kill();
        }

        JsonElement restarted = (await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/agent_restarted", TimeSpan.FromSeconds(90), from)).GetProperty("params");
        Assert.Equal(1, restarted.GetProperty("sessionsResumed").GetInt32());
        Assert.Equal([neverPrompted], restarted.GetProperty("lostSessionIds").EnumerateArray().Select(id => id.GetString()));

        // Ask the new agent: a session/resume of a session it has live answers with its current state.
        JsonElement state = RealAgentSession.Result(await session.Host.RequestAsync("session/resume", new JsonObject { ["sessionId"] = sessionId, ["cwd"] = session.WorkDir, ["mcpServers"] = new JsonArray() }, RealAgentSession.StepTimeout));
        Assert.Equal("plan", state.GetProperty("modes").GetProperty("currentModeId").GetString());
        Assert.Equal(model, Option(state, "model").GetProperty("currentValue").GetString());
        Assert.Equal("plan", Option(state, "mode").GetProperty("currentValue").GetString());
        Assert.Contains($"Session {sessionId}: the client's 2 choice(s) restored", session.Host.Stderr, StringComparison.Ordinal);

        // The lost session: the next request naming it hears why, from the host, and the session still works otherwise.
        JsonElement lost = await session.PromptAsync(neverPrompted, "Are you there?");
        JsonElement error = lost.GetProperty("error");
        Assert.Equal(-32002, error.GetProperty("code").GetInt32());
        Assert.Contains("lost when the agent restarted", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(neverPrompted, error.GetProperty("data").GetProperty("sessionId").GetString());
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "Still planning?")).GetProperty("stopReason").GetString());
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    private static JsonElement Option(JsonElement result, string id) =>
        result.GetProperty("configOptions").EnumerateArray().Single(option => option.GetProperty("id").GetString() == id);

    /// <summary>A model the session offers that is not its current one.</summary>
    private static string OtherModel(JsonElement created)
    {
        JsonElement option = Option(created, "model");
        string current = option.GetProperty("currentValue").GetString()!;
        return option.GetProperty("options").EnumerateArray()
            .Select(choice => choice.GetProperty("value").GetString()!)
            .First(value => value != current);
    }
}
