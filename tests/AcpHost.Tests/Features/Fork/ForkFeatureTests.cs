using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Fork;

/// <summary>The fork features on a relay with a scripted agent.</summary>
public sealed class ForkFeatureTests
{
    private const int Timeout = 20_000;

    private static JsonElement Parse(string line) => ForkRig.Parse(line);

    [Fact(Timeout = Timeout)]
    public async Task AvailableCommands_TheHostsCommandsAreAddedToTheAgentsList()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"available_commands_update","availableCommands":[{"name":"compact","description":"Compact","input":null},{"name":"review","description":"Review"}]}}}""");

        JsonElement commands = Parse(await harness.ToClient.NextAsync()).GetProperty("params").GetProperty("update").GetProperty("availableCommands");
        Assert.Equal(["compact", "review", "fork", "forks", "compactions"], commands.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, commands[0].GetProperty("input").ValueKind);
        Assert.Equal("optional note", commands[2].GetProperty("input").GetProperty("hint").GetString());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("/fork", true, null)]
    [InlineData("  /fork   try the other approach ", true, "try the other approach")]
    [InlineData("/fork\nnote on a new line", true, "note on a new line")]
    [InlineData("/forklift", false, null)]
    [InlineData("please /fork", false, null)]
    public async Task TryReadCommand_RecognisesOnlyTheCommand(string text, bool expected, string? note)
    {
        var prompt = new PromptParams { SessionId = "s", Prompt = [new ContentBlock { Type = "text", Text = text }] };

        Assert.Equal(expected, ForkCommand.TryReadCommand(prompt, out string? readNote));
        Assert.Equal(note, readNote);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SlashFork_IsAnsweredByTheHostAndNeverReachesTheAgentAsAPrompt()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork keep this"}]}}""");
        JsonElement forkParams = await rig.AgentForksAsync("child-1");

        // The fork keeps the parent's cwd and MCP servers.
        Assert.Equal("parent", forkParams.GetProperty("sessionId").GetString());
        Assert.Equal("/work", forkParams.GetProperty("cwd").GetString());
        Assert.Equal("mcp-files", forkParams.GetProperty("mcpServers")[0].GetProperty("command").GetString());

        List<JsonElement> toClient = await rig.ClientReadsAsync(3);
        JsonElement chunk = toClient.Single(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "session/update");
        Assert.Equal("agent_message_chunk", chunk.GetProperty("params").GetProperty("update").GetProperty("sessionUpdate").GetString());
        Assert.Contains("child-1", chunk.GetProperty("params").GetProperty("update").GetProperty("content").GetProperty("text").GetString(), StringComparison.Ordinal);
        JsonElement response = toClient.Single(m => m.TryGetProperty("id", out _));
        Assert.Equal(7, response.GetProperty("id").GetInt32());
        Assert.Equal("end_turn", response.GetProperty("result").GetProperty("stopReason").GetString());
        JsonElement forked = toClient.Single(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked").GetProperty("params");
        Assert.Equal(("child-1", "parent", "command"), (forked.GetProperty("sessionId").GetString(), forked.GetProperty("parentSessionId").GetString(), forked.GetProperty("reason").GetString()));

        // Nothing but the fork reached the agent; the next message goes straight on.
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"marker"}""");
        Assert.Equal("""{"jsonrpc":"2.0","method":"marker"}""", await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(("parent", "command"), (rig.Sessions.Find("child-1")?.ParentSessionId, rig.Sessions.Find("child-1")?.ForkReason));
    }

    [Fact(Timeout = Timeout)]
    public async Task SlashFork_AgentRefuses_ThePromptGetsTheAgentsError()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":8,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""");
        JsonElement request = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + request.GetProperty("id").GetString() + "\",\"error\":{\"code\":-32002,\"message\":\"Session not found\",\"data\":{\"sessionId\":\"parent\"}}}");

        JsonElement response = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(8, response.GetProperty("id").GetInt32());
        Assert.Equal(-32002, response.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Null(rig.Sessions.All.FirstOrDefault(s => s.ParentSessionId is not null));
    }

    [Fact(Timeout = Timeout)]
    public async Task HostForkMethod_AtAMessage_SendsTheAirMetaAndAnswersWithTheNewSession()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"f1","method":"_acphost/session/fork","params":{"sessionId":"parent","messageId":"msg_2"}}""");
        JsonElement forkParams = await rig.AgentForksAsync("child-2");
        Assert.Equal("msg_2", forkParams.GetProperty("_meta").GetProperty("jetbrains").GetProperty("air").GetProperty("fork").GetProperty("messageId").GetString());
        Assert.Equal(1, forkParams.GetProperty("_meta").GetProperty("jetbrains").GetProperty("air").GetProperty("fork").GetProperty("version").GetInt32());

        List<JsonElement> toClient = await rig.ClientReadsAsync(2);
        JsonElement result = toClient.Single(m => m.TryGetProperty("id", out _)).GetProperty("result");
        Assert.Equal(("child-2", "parent"), (result.GetProperty("sessionId").GetString(), result.GetProperty("parentSessionId").GetString()));
        Assert.Equal("default", result.GetProperty("modes").GetProperty("currentModeId").GetString());
        Assert.Equal("client", toClient.Single(m => m.TryGetProperty("method", out _)).GetProperty("params").GetProperty("reason").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task HostForkMethod_WithoutSessionId_IsInvalidParams()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":3,"method":"_acphost/session/fork","params":{}}""");

        Assert.Equal(-32602, Parse(await harness.ToClient.NextAsync()).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientSessionFork_PassesUnchangedAndIsRecordedAndAnnounced()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();
        const string request = """{"jsonrpc":"2.0","id":4,"method":"session/fork","params":{"sessionId":"parent","cwd":"/work","mcpServers":[]}}""";
        const string response = """{"jsonrpc":"2.0","id":4,"result":{"sessionId":"child-3"}}""";

        await harness.ClientSayAsync(request);
        Assert.Equal(request, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync(response);

        List<JsonElement> toClient = await rig.ClientReadsAsync(2);
        Assert.Contains(toClient, m => m.GetRawText() == response);
        Assert.Equal("client", toClient.Single(m => m.TryGetProperty("method", out _)).GetProperty("params").GetProperty("reason").GetString());

        await rig.Lineage.DisposeAsync();
        SessionRecord child = new SessionLedger(rig.Folder).ReadAll().Single(r => r.SessionId == "child-3");
        Assert.Equal(("parent", "client", "/work"), (child.ParentSessionId, child.ForkReason, child.Cwd));
    }
}
