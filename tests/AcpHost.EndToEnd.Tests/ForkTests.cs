using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>The four ways to fork, each giving a live fork that can be prompted at once and a place in the lineage.</summary>
[Collection(RealAgentCollection.Name)]
public class ForkTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task SlashFork_AnyClient_ForksAndTheForkIsLive()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        await session.PromptAsync(parent, "Say hello");

        // The host offers the command next to the agent's own.
        JsonElement commands = session.Updates(parent).Last(u => u.GetProperty("sessionUpdate").GetString() == "available_commands_update").GetProperty("availableCommands");
        Assert.Contains(commands.EnumerateArray(), c => c.GetProperty("name").GetString() == "fork");
        Assert.Contains(commands.EnumerateArray(), c => c.GetProperty("name").GetString() == "compact");

        int turns = session.Api.Requests.Count(r => r.Kind == FakeApiRequestKind.Turn);
        int from = session.Host.MessageCount;
        JsonElement answer = await session.PromptAsync(parent, "/fork trying another way");
        Assert.Equal("end_turn", RealAgentSession.Result(answer).GetProperty("stopReason").GetString());
        Assert.Equal(turns, session.Api.Requests.Count(r => r.Kind == FakeApiRequestKind.Turn)); // the agent never got it as a prompt

        JsonElement forked = await ForkedNotificationAsync(session, from);
        string child = forked.GetProperty("sessionId").GetString()!;
        Assert.Equal(("command", parent), (forked.GetProperty("reason").GetString(), forked.GetProperty("parentSessionId").GetString()));
        Assert.Contains(session.Updates(parent), u => u.GetProperty("sessionUpdate").GetString() == "agent_message_chunk"
            && u.GetProperty("content").GetProperty("text").GetString()!.Contains(child, StringComparison.Ordinal));

        await AssertLiveAsync(session, child);
        await AssertLineageAsync(session, child, parent, "command");
    }

    [Fact(Timeout = Timeout)]
    public async Task HostForkMethod_AtAMessage_RootsTheForkThere()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        session.Api.ReplyText = "First answer.";
        int before = session.Host.MessageCount;
        await session.PromptAsync(parent, "First question");
        string firstAnswerId = session.Host.Messages.Skip(before)
            .Select(m => m.TryGetProperty("params", out JsonElement p) && p.TryGetProperty("update", out JsonElement u) ? u : default)
            .First(u => u.ValueKind == JsonValueKind.Object && u.GetProperty("sessionUpdate").GetString() == "agent_message_chunk")
            .GetProperty("messageId").GetString()!;
        session.Api.ReplyText = "Second answer.";
        await session.PromptAsync(parent, "Second question");

        int from = session.Host.MessageCount;
        JsonElement response = await session.Host.RequestAsync("_acphost/session/fork", new JsonObject { ["sessionId"] = parent, ["messageId"] = firstAnswerId }, RealAgentSession.StepTimeout);
        JsonElement result = RealAgentSession.Result(response);
        string child = result.GetProperty("sessionId").GetString()!;
        Assert.Equal(parent, result.GetProperty("parentSessionId").GetString());
        Assert.Equal("client", (await ForkedNotificationAsync(session, from)).GetProperty("reason").GetString());

        // The fork's first turn carries the first exchange only.
        session.Api.ReplyText = "From the fork.";
        await AssertLiveAsync(session, child);
        FakeApiRequest forkTurn = session.Api.Requests.Last(r => r.Kind == FakeApiRequestKind.Turn);
        Assert.Contains("First question", forkTurn.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Second question", forkTurn.Body, StringComparison.Ordinal);

        // An unknown message id is the agent's invalid-params error, and nothing is forked.
        JsonElement refused = await session.Host.RequestAsync("_acphost/session/fork", new JsonObject { ["sessionId"] = parent, ["messageId"] = "msg_does_not_exist" }, RealAgentSession.StepTimeout);
        Assert.Equal(-32602, refused.GetProperty("error").GetProperty("code").GetInt32());

        await AssertLineageAsync(session, child, parent, "client");
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientSessionFork_IsRecordedWithReasonClient()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        await session.PromptAsync(parent, "Say hello");

        int from = session.Host.MessageCount;
        JsonElement fork = await session.Host.RequestAsync("session/fork", new JsonObject { ["sessionId"] = parent, ["cwd"] = session.WorkDir, ["mcpServers"] = new JsonArray() }, RealAgentSession.StepTimeout);
        string child = RealAgentSession.Result(fork).GetProperty("sessionId").GetString()!;
        Assert.Equal("client", (await ForkedNotificationAsync(session, from)).GetProperty("reason").GetString());

        await AssertLiveAsync(session, child);
        await AssertLineageAsync(session, child, parent, "client");
    }

    [Fact(Timeout = Timeout)]
    public async Task BeforeAutoCompact_ForkedWhenTheTurnThatCrossedTheMarkEnds_BeforeAnyCompaction()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install, "--fork-before-compact", "90");
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        session.Api.ReportedInputTokens = 990_000;
        int from = session.Host.MessageCount;

        // The fork comes at the end of the turn that filled the context: no next prompt needed.
        await session.PromptAsync(parent, "Fill the context");
        JsonElement forked = await ForkedNotificationAsync(session, from);
        string child = forked.GetProperty("sessionId").GetString()!;
        Assert.Equal("pre-compact", forked.GetProperty("reason").GetString());
        Assert.True(forked.GetProperty("usedTokens").GetInt64() >= 900_000);
        Assert.DoesNotContain(session.Host.Messages.Skip(from), IsCompaction);
        Assert.DoesNotContain("compact_boundary", await TranscriptAsync(session, child), StringComparison.Ordinal);
        Assert.Contains("Fill the context", await TranscriptAsync(session, child), StringComparison.Ordinal);

        // The parent's next turn compacts it; the fork, taken before, did not.
        int next = session.Host.MessageCount;
        await session.PromptAsync(parent, "This turn compacts first");
        JsonElement compaction = await session.Host.WaitForAsync(IsCompaction, TimeSpan.FromSeconds(30), next);
        Assert.Equal(parent, compaction.GetProperty("params").GetProperty("sessionId").GetString());
        Assert.Contains("compact_boundary", await TranscriptAsync(session, parent), StringComparison.Ordinal);
        Assert.DoesNotContain("compact_boundary", await TranscriptAsync(session, child), StringComparison.Ordinal);
        Assert.Single(session.Host.Messages.Skip(from), m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked");

        // The host closed its fork on the agent; prompted directly, it is reopened and answers.
        await AssertLiveAsync(session, child);
        await AssertLineageAsync(session, child, parent, "pre-compact");
    }

    private static bool IsCompaction(JsonElement message) =>
        message.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction";

    private static async Task<JsonElement> ForkedNotificationAsync(RealAgentSession session, int from) =>
        (await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked", TimeSpan.FromSeconds(30), from))
            .GetProperty("params");

    private static async Task AssertLiveAsync(RealAgentSession session, string sessionId)
    {
        JsonElement prompt = await session.PromptAsync(sessionId, "Are you there?");
        Assert.Equal("end_turn", RealAgentSession.Result(prompt).GetProperty("stopReason").GetString());
        Assert.Contains(session.Updates(sessionId), u => u.GetProperty("sessionUpdate").GetString() == "agent_message_chunk");
    }

    private static async Task<string> TranscriptAsync(RealAgentSession session, string sessionId)
    {
        string file = Directory.GetFiles(Path.Combine(session.ClaudeConfigDir, "projects"), sessionId + ".jsonl", SearchOption.AllDirectories).Single();
        return await File.ReadAllTextAsync(file);
    }

    /// <summary>After the host exits, <c>acphost sessions --json</c> lists the fork under its parent with its reason.</summary>
    private static async Task AssertLineageAsync(RealAgentSession session, string child, string parent, string reason)
    {
        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["sessions", "--data-dir", session.DataDir, "--json"], environment: null, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, stderr);
        JsonElement sessions = JsonDocument.Parse(stdout).RootElement;
        JsonElement childRecord = sessions.EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == child);
        Assert.Equal(parent, childRecord.GetProperty("parentSessionId").GetString());
        Assert.Equal(reason, childRecord.GetProperty("forkReason").GetString());
        Assert.Contains(sessions.EnumerateArray(), s => s.GetProperty("sessionId").GetString() == parent && s.GetProperty("parentSessionId").ValueKind == JsonValueKind.Null);

        var (_, tree, _) = await HostCommand.RunAsync(["sessions", "--data-dir", session.DataDir], environment: null, TimeSpan.FromSeconds(30));
        Assert.True(tree.IndexOf(parent, StringComparison.Ordinal) < tree.IndexOf(child, StringComparison.Ordinal), tree);
    }
}
