using System.Text;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Features.Commands;
using AcpHost.Features.Fork;
using AcpHost.Features.Recovery;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.State;
using AcpHost.Tests.Features.Fork;
using AcpHost.Tests.Features.Recovery;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features;

/// <summary>
/// A line the relay accepts is read by every feature as the relay read it: nested as deep as the classifier allows
/// (<see cref="JsonDepth.Max"/>), it is decoded, not skipped as unreadable. Before, the features read 64 levels deep:
/// a deep <c>_meta</c> on <c>initialize</c> left a restarted agent uninitialised, on <c>session/set_mode</c> the mode
/// was not given back, on a prompt to a closed fork the fork was not reopened.
/// </summary>
public class DecodeDepthTests
{
    private const int Timeout = 20_000;

    /// <summary>A <c>_meta</c> member whose value makes the whole line nest exactly <paramref name="depth"/> levels (params one level in).</summary>
    private static string Meta(int depth) => "\"_meta\":" + new string('[', depth - 2) + new string(']', depth - 2);

    [Fact(Timeout = Timeout)]
    public async Task Classifier_AcceptsTheLimitAndRefusesOneMore()
    {
        string at = $$$"""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{{{Meta(JsonDepth.Max)}}}}}""";
        string over = $$$"""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{{{Meta(JsonDepth.Max + 1)}}}}}""";

        Assert.Equal(MessageKind.Request, MessageClassifier.Classify(Encoding.UTF8.GetBytes(at)).Kind);
        Assert.Equal(MessageKind.Invalid, MessageClassifier.Classify(Encoding.UTF8.GetBytes(over)).Kind);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Restore_InitializeWithMetaAsDeepAsTheRelayAccepts_IsReplayedAndTheSessionResumed()
    {
        var sessions = new SessionRegistry();
        sessions.Open(new SessionInfo("s1", "/w", DateTimeOffset.UnixEpoch, "session/new", null));
        var choices = new ClientChoices();
        var restorer = new SessionRestorer(sessions, new ChoiceReplay(choices, new ListLogger<ChoiceReplay>()), new LostSessions(), new ListLogger<SessionRestorer>());
        var recorder = new ChoiceRecorder(choices);
        var outlet = new ScriptedOutlet
        {
            Answer = (method, _) => method == "initialize"
                ? """{"result":{"protocolVersion":1,"agentCapabilities":{"sessionCapabilities":{"resume":{}}}}}"""
                : """{"result":{}}""",
        };
        await outlet.PassAsync(restorer, Direction.FromClient, $$$"""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1,{{{Meta(JsonDepth.Max)}}}}}""");
        string setMode = $$$"""{"jsonrpc":"2.0","id":1,"method":"session/set_mode","params":{"sessionId":"s1","modeId":"plan",{{{Meta(JsonDepth.Max)}}}}}""";
        await outlet.PassAsync(recorder, Direction.FromClient, setMode);
        await outlet.PassAsync(recorder, Direction.FromAgent, """{"jsonrpc":"2.0","id":1,"result":{}}""", "session/set_mode");

        await restorer.RestoreAsync(outlet, new AgentRestart(1, new AgentExit(137, [], KilledByHost: false)), CancellationToken.None);

        Assert.Equal(["initialize", "session/resume", "session/set_mode"], outlet.Requests.Select(r => r.Method));
        JsonElement restarted = JsonDocument.Parse(outlet.ToClient[^1]).RootElement.GetProperty("params");
        Assert.Equal(1, restarted.GetProperty("sessionsResumed").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_ToAClosedForkWithMetaAsDeepAsTheRelayAccepts_ReopensTheForkFirst()
    {
        await using var rig = new ForkRig();
        await rig.InitializeAsync();
        await rig.OpenSessionAsync();
        await rig.Harness.ClientSayAsync("""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""");
        await rig.AgentForksAsync("child");
        await rig.AgentAnswersAsync(await rig.AgentReadsHostRequestAsync("session/close"), "{}");
        await rig.ClientReadsAsync(3);

        await rig.Harness.ClientSayAsync($$$$"""{"jsonrpc":"2.0","id":8,"method":"session/prompt","params":{"sessionId":"child","prompt":[{"type":"text","text":"hi"}],{{{{Meta(JsonDepth.Max)}}}}}}""");

        JsonElement resume = await rig.AgentReadsHostRequestAsync("session/resume");
        Assert.Equal("child", resume.GetProperty("params").GetProperty("sessionId").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Decoders_ALineAtTheLimit_AreReadNotRefused()
    {
        byte[] update = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"available_commands_update","availableCommands":[]},{{{Meta(JsonDepth.Max)}}}}}""");
        byte[] prompt = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":3,"method":"session/prompt","params":{"sessionId":"s","prompt":[],{{{Meta(JsonDepth.Max)}}}}}""");
        byte[] response = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":"acphost:1","result":{"sessionId":"s",{{{Meta(JsonDepth.Max)}}}}}""");

        Assert.Equal("s", JsonSerializer.Deserialize(update, AcpJsonContext.Default.SessionUpdateNotification)?.Params?.SessionId);
        Assert.Equal("s", JsonSerializer.Deserialize(prompt, AcpJsonContext.Default.RequestEnvelopePromptParams)?.Params?.SessionId);
        Assert.Equal("s", JsonSerializer.Deserialize(prompt, AcpJsonContext.Default.RequestEnvelopeSessionParams)?.Params?.SessionId);
        Assert.Equal("s", TurnFields.SessionIdOf(prompt));
        Assert.True(AgentResponse.Parse(response).IsSuccess);
        Assert.NotNull(PromptParams.RawPromptOf(prompt));
        Assert.NotNull(ChoiceRecorder.Read("session/set_mode", prompt));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task CommandList_AnUpdateAtTheLimit_GetsTheHostsCommandsMerged()
    {
        await using var harness = new RelayHarness([new CommandList(new ClientProfile(), new AgentCommandNames())]);

        await harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"available_commands_update","availableCommands":[]},{{{Meta(JsonDepth.Max)}}}}}""");

        JsonElement merged = JsonDocument.Parse(await harness.ToClient.NextAsync(), new JsonDocumentOptions { MaxDepth = JsonDepth.Max }).RootElement;
        Assert.Contains("forks", merged.GetProperty("params").GetProperty("update").GetProperty("availableCommands").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }
}
