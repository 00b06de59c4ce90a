using System.Text.Json;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Fork;

/// <summary>The fork before an automatic compaction: when it is made, and what waits for it.</summary>
public sealed class PreCompactForkTests
{
    private const int Timeout = 20_000;
    private const string Marker = """{"jsonrpc":"2.0","method":"marker"}""";

    private static string Usage(string sessionId, long used) =>
        "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + sessionId + "\",\"update\":{\"sessionUpdate\":\"usage_update\",\"used\":" + used + ",\"size\":1000000}}}";

    private static string Prompt(int id, string sessionId, string text = "go on") =>
        $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"session/prompt","params":{"sessionId":"{{{sessionId}}}","prompt":[{"type":"text","text":"{{{text}}}"}]}}""";

    /// <summary>Nothing else is on its way to the agent: a marker sent now is the next thing it reads.</summary>
    private static async Task AgentGetsNothingElseAsync(RelayHarness harness)
    {
        await harness.ClientSayAsync(Marker);
        Assert.Equal(Marker, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task TurnEnd_TurnCrossedTheMark_ForksRightAfterTheResponse()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 90);
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();
        await harness.ClientSayAsync(Prompt(11, "parent"));
        await harness.Agent.ReadFromRelay.NextAsync();

        await harness.Agent.SayAsync(Usage("parent", 950_000));
        await harness.ToClient.NextAsync();

        // The turn is still running: no fork yet.
        await AgentGetsNothingElseAsync(harness);

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":11,"result":{"stopReason":"end_turn"}}""");
        Assert.Equal(11, ForkRig.Parse(await harness.ToClient.NextAsync()).GetProperty("id").GetInt32());
        JsonElement forkParams = await rig.AgentForksAsync("preserved");
        Assert.Equal("parent", forkParams.GetProperty("sessionId").GetString());

        JsonElement forked = ForkRig.Parse(await harness.ToClient.NextAsync()).GetProperty("params");
        Assert.Equal(("preserved", "pre-compact", 950000L), (forked.GetProperty("sessionId").GetString(), forked.GetProperty("reason").GetString(), forked.GetProperty("usedTokens").GetInt64()));
    }

    [Fact(Timeout = Timeout)]
    public async Task Fork_Made_TheUserIsToldTheFillTheMarkAndTheFork()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 85, notices: true);
        await rig.InitializeAsync(agentCloses: false, clientShowsNotices: true);
        await rig.OpenSessionAsync();

        await rig.Harness.Agent.SayAsync(Usage("parent", 862_000));
        await rig.AgentForksAsync("preserved");

        JsonElement notice = (await rig.ClientReadsAsync(3)).Single(m => m.GetRawText().Contains("\"notice\":\"pre-compact-fork\"", StringComparison.Ordinal));
        JsonElement update = notice.GetProperty("params").GetProperty("update");
        Assert.Equal(("parent", "notice", "Fork saved before compaction"), (notice.GetProperty("params").GetProperty("sessionId").GetString(), update.GetProperty("sessionUpdate").GetString(), update.GetProperty("title").GetString()));
        Assert.StartsWith(
            "This session reached 862,000 of 1,000,000 tokens (86 %), past the fork mark of 850,000 tokens (85 %): fork preserved keeps the whole conversation",
            update.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Usage_CrossedOutsideATurn_ForksAtOnce()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 90);
        await rig.OpenSessionAsync();

        // As after an idle compaction's turn, or any update that comes while no prompt runs.
        await rig.Harness.Agent.SayAsync(Usage("parent", 990_000));

        await rig.AgentForksAsync("preserved");
        Assert.Contains(await rig.ClientReadsAsync(2), m => ForkRig.MethodOf(m) == "_acphost/session_forked");
    }

    [Fact(Timeout = Timeout)]
    public async Task Usage_CrossedIdleAfterTheAgentRestartedMidTurn_ForksAtOnce()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 90);
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();
        await harness.ClientSayAsync(Prompt(15, "parent"));
        await harness.Agent.ReadFromRelay.NextAsync();

        // The agent dies mid-turn: the host answers the prompt itself (no feature sees that answer), and a new agent
        // takes the session back. No turn runs now: a crossing of the mark forks at once, not after the next turn,
        // which would begin with the very compaction the fork is to precede.
        rig.Turns.AgentReplaced();
        await harness.Agent.SayAsync(Usage("parent", 990_000));

        await rig.AgentForksAsync("preserved");
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_WhileTheForkIsInFlight_WaitsForIt_OtherSessionsDoNot()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 90);
        RelayHarness harness = rig.Harness;
        await rig.InitializeAsync();
        await rig.OpenSessionAsync("other");
        await rig.OpenSessionAsync("parent");
        await harness.Agent.SayAsync(Usage("parent", 950_000));
        await harness.ToClient.NextAsync();
        JsonElement fork = await rig.AgentReadsHostRequestAsync("session/fork");

        await harness.ClientSayAsync(Prompt(12, "parent"));
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":13,"method":"session/set_mode","params":{"sessionId":"parent","modeId":"plan"}}""");
        await harness.ClientSayAsync(Prompt(14, "other"));

        // The other session's prompt goes on while the fork is in flight; the parent's wait, in order.
        Assert.Equal(Prompt(14, "other"), await harness.Agent.ReadFromRelay.NextAsync());
        await rig.AgentAnswersAsync(fork, """{"sessionId":"preserved"}""");
        JsonElement close = await rig.AgentReadsHostRequestAsync("session/close");
        Assert.Equal("preserved", close.GetProperty("params").GetProperty("sessionId").GetString());
        await rig.AgentAnswersAsync(close, "{}");
        Assert.Equal(Prompt(12, "parent"), await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Contains("\"id\":13", await harness.Agent.ReadFromRelay.NextAsync(), StringComparison.Ordinal);

        // Released prompts are pending like any other: their responses reach the client.
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":12,"result":{"stopReason":"end_turn"}}""");
        List<JsonElement> toClient = await rig.ClientReadsAsync(2);
        Assert.Equal("_acphost/session_forked", ForkRig.MethodOf(toClient[0]));
        Assert.Equal(12, toClient[1].GetProperty("id").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task Usage_StayingAboveTheMark_ForksAgainOnlyAfterDroppingBelowIt()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 90);
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();
        await harness.Agent.SayAsync(Usage("parent", 950_000));
        await rig.AgentForksAsync("first");
        await rig.ClientReadsAsync(2);

        await harness.Agent.SayAsync(Usage("parent", 970_000));
        await harness.ToClient.NextAsync();
        await AgentGetsNothingElseAsync(harness);

        await harness.Agent.SayAsync(Usage("parent", 20_000)); // compacted
        await harness.Agent.SayAsync(Usage("parent", 930_000));
        await rig.AgentForksAsync("second");
        while (ForkRig.MethodOf(ForkRig.Parse(await harness.ToClient.NextAsync())) != "_acphost/session_forked")
        {
        }

        Assert.Equal(("parent", "pre-compact"), (rig.Sessions.Find("second")?.ParentSessionId, rig.Sessions.Find("second")?.ForkReason));
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_ForkRefused_GoesOnAllTheSame()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 90);
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();
        await harness.Agent.SayAsync(Usage("parent", 950_000));
        JsonElement fork = await rig.AgentReadsHostRequestAsync("session/fork");
        await harness.ClientSayAsync(Prompt(15, "parent"));

        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + fork.GetProperty("id").GetString() + "\",\"error\":{\"code\":-32603,\"message\":\"disk full\"}}");

        Assert.Equal(Prompt(15, "parent"), await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Contains(rig.PreCompactLog.Entries, e => e.Message.Contains("disk full", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_ForkNeverAnswered_GoesOnAfterTheHoldTimeout()
    {
        await using var rig = new ForkRig(forkBeforeCompact: 90, holdTimeout: TimeSpan.FromMilliseconds(300));
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();
        await harness.Agent.SayAsync(Usage("parent", 950_000));
        await rig.AgentReadsHostRequestAsync("session/fork");

        await harness.ClientSayAsync(Prompt(16, "parent"));

        // The fork, given up at the same time, may be cancelled on the agent first.
        string next = await harness.Agent.ReadFromRelay.NextAsync();
        if (next.Contains("$/cancel_request", StringComparison.Ordinal))
        {
            next = await harness.Agent.ReadFromRelay.NextAsync();
        }

        Assert.Equal(Prompt(16, "parent"), next);
    }
}
