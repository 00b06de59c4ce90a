using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The commands the host answers itself (<c>/forks</c>, <c>/compactions</c>, <c>/fork</c>) with the real agent, in both
/// protocol versions: no model request, nothing in the agent's history, and the answer in the client's own shapes.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class HostCommandTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task ForksAndCompactions_V1_AnsweredWithoutTheModelAndWithoutTrace()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Say hello");
        JsonElement commands = session.Updates(sessionId).Last(u => u.GetProperty("sessionUpdate").GetString() == "available_commands_update").GetProperty("availableCommands");
        Assert.Equal(3, commands.EnumerateArray().Count(c => c.GetProperty("name").GetString() is "fork" or "forks" or "compactions"));
        Assert.Contains(commands.EnumerateArray(), c => c.GetProperty("name").GetString() == "context");
        await session.PromptAsync(sessionId, "/fork before-experiment");
        await session.PromptAsync(sessionId, "/compact");
        string fork = session.Host.Messages.Last(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked").GetProperty("params").GetProperty("sessionId").GetString()!;
        await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction", TimeSpan.FromSeconds(30));

        int requests = session.Api.Requests.Count;
        string forks = await AnswerTextAsync(session, sessionId, "/forks");
        string compactions = await AnswerTextAsync(session, sessionId, "/compactions");

        Assert.Contains($"- `{fork}`: /fork \"before-experiment\"", forks, StringComparison.Ordinal);
        Assert.Contains("holds the conversation from before the compaction of", forks, StringComparison.Ordinal);
        Assert.Contains("session/resume", forks, StringComparison.Ordinal);
        Assert.Contains(", manual, ", compactions, StringComparison.Ordinal);
        Assert.Contains($"the conversation before it is kept in fork `{fork}`", compactions, StringComparison.Ordinal);
        await AssertNoTraceAsync(session, sessionId, requests);
    }

    [Fact(Timeout = Timeout)]
    public async Task HostCommands_V2_EachTurnInV2ShapesAndTheCommandsInTheSessionResult()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeV2Async();
        JsonElement created = RealAgentSession.Result(await session.Host.RequestAsync("session/new", new JsonObject { ["cwd"] = session.WorkDir }, RealAgentSession.StepTimeout));
        string sessionId = created.GetProperty("sessionId").GetString()!;
        JsonElement listed = created.GetProperty("availableCommands");
        Assert.All(listed.EnumerateArray(), c => Assert.Equal("command", c.GetProperty("type").GetString()));
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("name").GetString() == "forks");
        Assert.Equal("end_turn", (await session.PromptV2Async(sessionId, "Say hello")).GetProperty("stopReason").GetString());

        // /fork: a v2 client waits for the idle state, not for the answer, which is {messageId}.
        int from = session.Host.MessageCount;
        JsonElement forkIdle = await session.PromptV2Async(sessionId, "/fork in v2");
        Assert.Equal("end_turn", forkIdle.GetProperty("stopReason").GetString());
        List<JsonElement> turn = [.. session.Host.Messages.Skip(from)];
        JsonElement answer = turn.Single(m => m.TryGetProperty("id", out _) && !m.TryGetProperty("method", out _));
        string userMessage = answer.GetProperty("result").GetProperty("messageId").GetString()!;
        Assert.Contains(turn, m => RealAgentSession.IsUpdate(m, sessionId, "user_message") && m.GetProperty("params").GetProperty("update").GetProperty("messageId").GetString() == userMessage);
        Assert.Contains(turn, m => RealAgentSession.IsUpdate(m, sessionId, "state_update") && m.GetProperty("params").GetProperty("update").GetProperty("state").GetString() == "running");
        Assert.Contains(turn, m => RealAgentSession.IsUpdate(m, sessionId, "agent_message_chunk") && m.GetProperty("params").GetProperty("update").TryGetProperty("messageId", out _));
        string fork = turn.Single(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked").GetProperty("params").GetProperty("sessionId").GetString()!;

        int requests = session.Api.Requests.Count;
        Assert.Equal("end_turn", (await session.PromptV2Async(sessionId, "/forks")).GetProperty("stopReason").GetString());
        Assert.Equal("end_turn", (await session.PromptV2Async(sessionId, "/compactions")).GetProperty("stopReason").GetString());
        string texts = string.Join('\n', session.Updates(sessionId).Where(u => u.GetProperty("sessionUpdate").GetString() == "agent_message_chunk" && u.TryGetProperty("_meta", out JsonElement meta) && meta.TryGetProperty("acphost", out _))
            .Select(u => u.GetProperty("content").GetProperty("text").GetString()));
        Assert.Contains($"- `{fork}`: /fork \"in v2\"", texts, StringComparison.Ordinal);
        Assert.Contains("No compaction of this session is recorded.", texts, StringComparison.Ordinal);
        await AssertNoTraceAsync(session, sessionId, requests);

        // The fork the host made and closed opens again on use, in v2 too.
        Assert.Equal("end_turn", (await session.PromptV2Async(fork, "Are you there?")).GetProperty("stopReason").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task SessionList_AForkSaysItsNoteAndFillAfterTheAgentsTitle()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Say hello");
        await session.PromptAsync(sessionId, "/fork before-experiment");
        string fork = session.Host.Messages.Last(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked").GetProperty("params").GetProperty("sessionId").GetString()!;

        JsonElement listed = RealAgentSession.Result(await session.Host.RequestAsync("session/list", new JsonObject { ["cwd"] = session.WorkDir }, RealAgentSession.StepTimeout));

        JsonElement[] sessions = [.. listed.GetProperty("sessions").EnumerateArray()];
        string forkTitle = sessions.Single(s => s.GetProperty("sessionId").GetString() == fork).GetProperty("title").GetString()!;
        Assert.Matches("^.+ — /fork \"before-experiment\", at 0 % of the window$", forkTitle);
        Assert.DoesNotContain(" — ", sessions.Single(s => s.GetProperty("sessionId").GetString() == sessionId).GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Sends a prompt and returns the text of the chunks the host answered it with.</summary>
    private static async Task<string> AnswerTextAsync(RealAgentSession session, string sessionId, string prompt)
    {
        int from = session.Host.MessageCount;
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, prompt)).GetProperty("stopReason").GetString());
        return string.Join('\n', session.Host.Messages.Skip(from)
            .Where(m => RealAgentSession.IsUpdate(m, sessionId, "agent_message_chunk"))
            .Select(m => m.GetProperty("params").GetProperty("update").GetProperty("content").GetProperty("text").GetString()));
    }

    /// <summary>The host's commands cost no model request and left nothing in the agent's history of the session.</summary>
    private static async Task AssertNoTraceAsync(RealAgentSession session, string sessionId, int requestsBefore)
    {
        Assert.DoesNotContain(session.Api.Requests.Skip(requestsBefore), r => r.Kind == FakeApiRequestKind.Turn);
        Assert.DoesNotContain(session.Api.Requests, r => r.Body.Contains("/forks", StringComparison.Ordinal) || r.Body.Contains("/compactions", StringComparison.Ordinal));
        string transcript = await File.ReadAllTextAsync(session.TranscriptOf(sessionId));
        Assert.DoesNotContain("/forks", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("/compactions", transcript, StringComparison.Ordinal);
    }
}
