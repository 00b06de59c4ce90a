using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Features;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Options;

namespace AcpHost.Tests.Features.Fork;

/// <summary>The fork features on a relay with a scripted agent.</summary>
public sealed class ForkFeatureTests : IAsyncDisposable
{
    private const int Timeout = 20_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-fork-").FullName;
    private readonly SessionRegistry _sessions = new();
    private readonly ClientChannel _client = new();
    private LineageRecorder? _lineage;

    public async ValueTask DisposeAsync()
    {
        if (_lineage is not null)
        {
            await _lineage.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private RelayHarness Start(double? forkBeforeCompact = null)
    {
        var forks = new ForkService(_sessions, TimeProvider.System);
        _lineage = new LineageRecorder(_sessions, new SessionLedger(_folder), _client, TimeProvider.System, new ListLogger<LineageRecorder>());
        IMessageInterceptor[] interceptors =
        [
            new SessionTracker(_sessions, TimeProvider.System, new ListLogger<SessionTracker>()),
            new ForkCommand(forks, new ListLogger<ForkCommand>()),
            new ForkMethod(forks),
            new PreCompactFork(forks, _sessions, Options.Create(new ForkOptions { BeforeCompactPercent = forkBeforeCompact }), new ListLogger<PreCompactFork>()),
        ];
        var harness = new RelayHarness(interceptors);
        _client.Attach(harness.Relay);
        return harness;
    }

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    private static async Task OpenSessionAsync(RelayHarness harness, string sessionId = "parent")
    {
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"new","method":"session/new","params":{"cwd":"/work","mcpServers":[{"name":"files","command":"mcp-files","args":[],"env":[]}]}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","id":"new","result":{"sessionId":"{{{sessionId}}}"}}""");
        await harness.ToClient.NextAsync();
    }

    /// <summary>Plays the agent's side of one session/fork: checks the request, answers with <paramref name="child"/>.</summary>
    private static async Task<JsonElement> AgentForksAsync(RelayHarness harness, string child)
    {
        JsonElement request = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal("session/fork", request.GetProperty("method").GetString());
        string id = request.GetProperty("id").GetString()!;
        Assert.StartsWith("acphost:", id, StringComparison.Ordinal);
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"sessionId\":\"" + child + "\",\"modes\":{\"currentModeId\":\"default\"}}}");
        return request.GetProperty("params");
    }

    private static async Task<List<JsonElement>> ClientReadsAsync(RelayHarness harness, int count)
    {
        var messages = new List<JsonElement>();
        for (int i = 0; i < count; i++)
        {
            messages.Add(Parse(await harness.ToClient.NextAsync()));
        }

        return messages;
    }

    [Fact(Timeout = Timeout)]
    public async Task AvailableCommands_ForkIsAddedToTheAgentsList()
    {
        await using RelayHarness harness = Start();

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"available_commands_update","availableCommands":[{"name":"compact","description":"Compact","input":null},{"name":"review","description":"Review"}]}}}""");

        JsonElement commands = Parse(await harness.ToClient.NextAsync()).GetProperty("params").GetProperty("update").GetProperty("availableCommands");
        Assert.Equal(["compact", "review", "fork"], commands.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
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
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork keep this"}]}}""");
        JsonElement forkParams = await AgentForksAsync(harness, "child-1");

        // The fork keeps the parent's cwd and MCP servers.
        Assert.Equal("parent", forkParams.GetProperty("sessionId").GetString());
        Assert.Equal("/work", forkParams.GetProperty("cwd").GetString());
        Assert.Equal("mcp-files", forkParams.GetProperty("mcpServers")[0].GetProperty("command").GetString());

        List<JsonElement> toClient = await ClientReadsAsync(harness, 3);
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
        Assert.Equal(("parent", "command"), (_sessions.Find("child-1")?.ParentSessionId, _sessions.Find("child-1")?.ForkReason));
    }

    [Fact(Timeout = Timeout)]
    public async Task SlashFork_AgentRefuses_ThePromptGetsTheAgentsError()
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":8,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""");
        JsonElement request = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + request.GetProperty("id").GetString() + "\",\"error\":{\"code\":-32002,\"message\":\"Session not found\",\"data\":{\"sessionId\":\"parent\"}}}");

        JsonElement response = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(8, response.GetProperty("id").GetInt32());
        Assert.Equal(-32002, response.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Null(_sessions.All.FirstOrDefault(s => s.ParentSessionId is not null));
    }

    [Fact(Timeout = Timeout)]
    public async Task HostForkMethod_AtAMessage_SendsTheAirMetaAndAnswersWithTheNewSession()
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"f1","method":"_acphost/session/fork","params":{"sessionId":"parent","messageId":"msg_2"}}""");
        JsonElement forkParams = await AgentForksAsync(harness, "child-2");
        Assert.Equal("msg_2", forkParams.GetProperty("_meta").GetProperty("jetbrains").GetProperty("air").GetProperty("fork").GetProperty("messageId").GetString());
        Assert.Equal(1, forkParams.GetProperty("_meta").GetProperty("jetbrains").GetProperty("air").GetProperty("fork").GetProperty("version").GetInt32());

        List<JsonElement> toClient = await ClientReadsAsync(harness, 2);
        JsonElement result = toClient.Single(m => m.TryGetProperty("id", out _)).GetProperty("result");
        Assert.Equal(("child-2", "parent"), (result.GetProperty("sessionId").GetString(), result.GetProperty("parentSessionId").GetString()));
        Assert.Equal("default", result.GetProperty("modes").GetProperty("currentModeId").GetString());
        Assert.Equal("client", toClient.Single(m => m.TryGetProperty("method", out _)).GetProperty("params").GetProperty("reason").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task HostForkMethod_WithoutSessionId_IsInvalidParams()
    {
        await using RelayHarness harness = Start();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":3,"method":"_acphost/session/fork","params":{}}""");

        Assert.Equal(-32602, Parse(await harness.ToClient.NextAsync()).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task PreCompact_FillCrossesTheMark_NextPromptIsHeldUntilTheForkIsDone()
    {
        await using RelayHarness harness = Start(forkBeforeCompact: 90);
        await OpenSessionAsync(harness);
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"parent","update":{"sessionUpdate":"usage_update","used":950000,"size":1000000}}}""");
        await harness.ToClient.NextAsync();

        const string prompt = """{"jsonrpc":"2.0","id":11,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"go on"}]}}""";
        await harness.ClientSayAsync(prompt);

        // The agent sees the fork first; the prompt only once the fork is answered.
        await AgentForksAsync(harness, "preserved");
        Assert.Equal(prompt, await harness.Agent.ReadFromRelay.NextAsync());
        JsonElement forked = Parse(await harness.ToClient.NextAsync()).GetProperty("params");
        Assert.Equal(("preserved", "pre-compact", 950000L), (forked.GetProperty("sessionId").GetString(), forked.GetProperty("reason").GetString(), forked.GetProperty("usedTokens").GetInt64()));

        // Still above the mark: the next prompt is not held again.
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":12,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"again"}]}}""");
        Assert.Contains("\"id\":12", await harness.Agent.ReadFromRelay.NextAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientSessionFork_PassesUnchangedAndIsRecordedAndAnnounced()
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);
        const string request = """{"jsonrpc":"2.0","id":4,"method":"session/fork","params":{"sessionId":"parent","cwd":"/work","mcpServers":[]}}""";
        const string response = """{"jsonrpc":"2.0","id":4,"result":{"sessionId":"child-3"}}""";

        await harness.ClientSayAsync(request);
        Assert.Equal(request, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync(response);

        List<JsonElement> toClient = await ClientReadsAsync(harness, 2);
        Assert.Contains(toClient, m => m.GetRawText() == response);
        Assert.Equal("client", toClient.Single(m => m.TryGetProperty("method", out _)).GetProperty("params").GetProperty("reason").GetString());

        await _lineage!.DisposeAsync();
        SessionRecord child = new SessionLedger(_folder).ReadAll().Single(r => r.SessionId == "child-3");
        Assert.Equal(("parent", "client", "/work"), (child.ParentSessionId, child.ForkReason, child.Cwd));
    }
}
