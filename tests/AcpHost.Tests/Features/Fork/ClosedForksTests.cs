using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Fork;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Fork;

/// <summary>Forks the host makes are closed on the agent, and reopened when the client uses them.</summary>
public sealed class ClosedForksTests
{
    private const int Timeout = 20_000;
    private const string Marker = """{"jsonrpc":"2.0","method":"marker"}""";

    private static string Prompt(int id, string sessionId) =>
        $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"session/prompt","params":{"sessionId":"{{{sessionId}}}","prompt":[{"type":"text","text":"hello"}]}}""";

    /// <summary>/fork on the parent: the agent forks into <paramref name="child"/>; returns the host's session/close if one comes.</summary>
    private static async Task<JsonElement> SlashForkAsync(ForkRig rig, string child)
    {
        await rig.Harness.ClientSayAsync("""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""");
        await rig.AgentForksAsync(child);
        return await rig.AgentReadsHostRequestAsync("session/close");
    }

    /// <summary>A rig where /fork on "parent" made "child", which the host closed on the agent; the client read the fork's messages.</summary>
    private static async Task<ForkRig> ClosedChildAsync()
    {
        var rig = new ForkRig();
        await rig.InitializeAsync();
        await rig.OpenSessionAsync();
        await rig.AgentAnswersAsync(await SlashForkAsync(rig, "child"), "{}");
        await rig.ClientReadsAsync(3);
        return rig;
    }

    [Fact(Timeout = Timeout)]
    public async Task SlashFork_AgentOffersClose_ForkIsClosedBeforeThePromptIsAnswered()
    {
        await using var rig = new ForkRig();
        await rig.InitializeAsync();
        await rig.OpenSessionAsync();

        JsonElement close = await SlashForkAsync(rig, "child");
        Assert.Equal("""{"sessionId":"child"}""", close.GetProperty("params").GetRawText());
        await rig.AgentAnswersAsync(close, "{}");

        List<JsonElement> toClient = await rig.ClientReadsAsync(3);
        Assert.Equal(["_acphost/session_forked", "session/update", null], toClient.Select(ForkRig.MethodOf));
        Assert.Equal(7, toClient[2].GetProperty("id").GetInt32());
        Assert.True(rig.ClosedForks.IsClosed("child"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_ToAClosedFork_ReopensItOnceThenRelaysEveryMessageInOrder()
    {
        await using ForkRig rig = await ClosedChildAsync();
        RelayHarness harness = rig.Harness;

        const string setMode = """{"jsonrpc":"2.0","id":20,"method":"session/set_mode","params":{"sessionId":"child","modeId":"plan"}}""";
        await harness.ClientSayAsync(Prompt(21, "child"));
        await harness.ClientSayAsync(setMode);
        await harness.ClientSayAsync(Prompt(22, "parent"));

        // The parent's prompt does not wait (it races the host's resume to the agent); the fork is resumed with the
        // parent's cwd and MCP servers.
        List<JsonElement> atAgent = [ForkRig.Parse(await harness.Agent.ReadFromRelay.NextAsync()), ForkRig.Parse(await harness.Agent.ReadFromRelay.NextAsync())];
        Assert.Contains(atAgent, m => m.GetRawText() == Prompt(22, "parent"));
        JsonElement resume = atAgent.Single(m => ForkRig.MethodOf(m) == "session/resume");
        JsonElement parameters = resume.GetProperty("params");
        Assert.Equal(("child", "/work", "mcp-files"), (parameters.GetProperty("sessionId").GetString(), parameters.GetProperty("cwd").GetString(), parameters.GetProperty("mcpServers")[0].GetProperty("command").GetString()));
        await rig.AgentAnswersAsync(resume, """{"modes":{"currentModeId":"default"}}""");

        Assert.Equal(Prompt(21, "child"), await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(setMode, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.False(rig.ClosedForks.IsClosed("child"));

        // Reopened: the next prompt goes straight on.
        await harness.ClientSayAsync(Prompt(23, "child"));
        Assert.Equal(Prompt(23, "child"), await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_ReopenFails_TheForkStaysKnownAsClosedAndTheNextMessageTriesAgain()
    {
        await using ForkRig rig = await ClosedChildAsync();
        RelayHarness harness = rig.Harness;

        // The agent cannot resume it this time: the prompt goes on and gets the agent's own answer.
        await harness.ClientSayAsync(Prompt(60, "child"));
        JsonElement failed = await rig.AgentReadsHostRequestAsync("session/resume");
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + failed.GetProperty("id").GetString() + "\",\"error\":{\"code\":-32603,\"message\":\"busy\"}}");
        Assert.Equal(Prompt(60, "child"), await harness.Agent.ReadFromRelay.NextAsync());
        Assert.True(rig.ClosedForks.IsClosed("child"));

        // The next message tries the reopen again, and this time it works.
        await harness.ClientSayAsync(Prompt(61, "child"));
        JsonElement retried = await rig.AgentReadsHostRequestAsync("session/resume");
        await rig.AgentAnswersAsync(retried, "{}");
        Assert.Equal(Prompt(61, "child"), await harness.Agent.ReadFromRelay.NextAsync());
        Assert.False(rig.ClosedForks.IsClosed("child"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Prompt_HeldWhileTheForkIsReopened_IsAnsweredWhenTheRelayEnds(bool endOfInput)
    {
        await using ForkRig rig = await ClosedChildAsync();
        RelayHarness harness = rig.Harness;

        // The agent sits on the reopen; the prompt waits for it; then the client leaves (or the host is stopped).
        await harness.ClientSayAsync(Prompt(80, "child"));
        await rig.AgentReadsHostRequestAsync("session/resume");
        if (endOfInput)
        {
            await harness.ClientCloseAsync();
        }
        else
        {
            harness.Stop();
        }

        List<string> rest = await harness.ToClient.ReadToEndAsync(TimeSpan.FromSeconds(30));
        JsonElement answer = Assert.Single(rest.Select(ForkRig.Parse), m => m.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 80);
        Assert.Equal(-32603, answer.GetProperty("error").GetProperty("code").GetInt32());
        await harness.OutcomeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task Resume_ByTheClientWhileAReopenFails_TheClientOwnsTheForkAfterAll()
    {
        await using ForkRig rig = await ClosedChildAsync();
        RelayHarness harness = rig.Harness;

        await harness.ClientSayAsync(Prompt(70, "child"));
        JsonElement reopen = await rig.AgentReadsHostRequestAsync("session/resume");
        const string resume = """{"jsonrpc":"2.0","id":71,"method":"session/resume","params":{"sessionId":"child","cwd":"/work","mcpServers":[]}}""";
        await harness.ClientSayAsync(resume);
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + reopen.GetProperty("id").GetString() + "\",\"error\":{\"code\":-32603,\"message\":\"busy\"}}");

        Assert.Equal(Prompt(70, "child"), await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(resume, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.False(rig.ClosedForks.IsClosed("child"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_ArrivesWhileTheCloseIsInFlight_ReopensAfterTheClose()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.InitializeAsync();
        await rig.OpenSessionAsync();
        JsonElement close = await SlashForkAsync(rig, "child");

        // The announcement has gone out before the close: a quick client can already prompt the fork.
        Assert.Equal("_acphost/session_forked", ForkRig.MethodOf(ForkRig.Parse(await harness.ToClient.NextAsync())));
        await harness.ClientSayAsync(Prompt(30, "child"));
        await rig.AgentAnswersAsync(close, "{}");

        JsonElement resume = await rig.AgentReadsHostRequestAsync("session/resume");
        await rig.AgentAnswersAsync(resume, "{}");
        Assert.Equal(Prompt(30, "child"), await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Resume_ByTheClient_HostForgetsTheForkWasClosed()
    {
        await using ForkRig rig = await ClosedChildAsync();
        RelayHarness harness = rig.Harness;

        const string resume = """{"jsonrpc":"2.0","id":40,"method":"session/resume","params":{"sessionId":"child","cwd":"/work","mcpServers":[]}}""";
        await harness.ClientSayAsync(resume);
        Assert.Equal(resume, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.False(rig.ClosedForks.IsClosed("child"));

        await harness.ClientSayAsync(Prompt(41, "child"));
        Assert.Equal(Prompt(41, "child"), await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task HostForkMethod_ClientAskedForIt_ForkStaysOpen()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.InitializeAsync();
        await rig.OpenSessionAsync();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"f1","method":"_acphost/session/fork","params":{"sessionId":"parent"}}""");
        await rig.AgentForksAsync("kept");
        await rig.ClientReadsAsync(2);

        await harness.ClientSayAsync(Marker);
        Assert.Equal(Marker, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.False(rig.ClosedForks.IsClosed("kept"));
    }

    [Fact(Timeout = Timeout)]
    public async Task SlashFork_AgentCannotClose_ForkStaysOpen()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.InitializeAsync(agentCloses: false);
        await rig.OpenSessionAsync();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""");
        await rig.AgentForksAsync("child");
        await rig.ClientReadsAsync(3);

        await harness.ClientSayAsync(Prompt(50, "child"));
        Assert.Equal(Prompt(50, "child"), await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task ForkAsync_ForTheControlEndpoint_ForkIsClosed()
    {
        await using var rig = new ForkRig();
        await rig.InitializeAsync();
        await rig.OpenSessionAsync();

        Task<ForkResult> forking = rig.Forks.ForkAsync(new ForkRequest("parent", ForkReasons.Control), rig.Harness.Relay, CancellationToken.None);
        await rig.AgentForksAsync("for-a-script");
        JsonElement close = await rig.AgentReadsHostRequestAsync("session/close");
        await rig.AgentAnswersAsync(close, "{}");

        Assert.Equal("for-a-script", (await forking).SessionId);
        Assert.True(rig.ClosedForks.IsClosed("for-a-script"));
    }
}
