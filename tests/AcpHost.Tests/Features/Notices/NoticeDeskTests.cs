using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Features.Notices;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Tests.Features.Notices;

/// <summary>When and how a notice reaches the client: in the turn it belongs to, at once for a client that shows notices, else first in the next turn.</summary>
public class NoticeDeskTests
{
    private const int Timeout = 20_000;

    [Fact(Timeout = Timeout)]
    public async Task PostAsync_ClientShowsNotices_OutsideAnyTurnItIsANoticeAtOnce()
    {
        await using var rig = new NoticeRig();
        await rig.InitializeAsync(notices: true);

        await rig.Desk.PostAsync(NoticeRig.Notice(), CancellationToken.None);

        JsonElement notice = NoticeRig.Parse(await rig.Harness.ToClient.NextAsync());
        Assert.Equal("notice", NoticeRig.UpdateKind(notice));
        Assert.Equal("compaction", notice.GetProperty("params").GetProperty("update").GetProperty("_meta").GetProperty("acphost").GetProperty("notice").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task PostAsync_ClientWithoutNoticesOutsideAnyTurn_WaitsForTheSessionsNextPromptAndPrecedesIt()
    {
        await using var rig = new NoticeRig();
        await rig.InitializeAsync(notices: false);

        await rig.Desk.PostAsync(NoticeRig.Notice(), CancellationToken.None);
        Assert.True(rig.Desk.HasDeferred);
        await rig.Harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{"sessionId":"other","prompt":[]}}""");
        await rig.Harness.Agent.ReadFromRelay.NextAsync();
        await rig.Harness.ClientSayAsync("""{"jsonrpc":"2.0","id":2,"method":"session/prompt","params":{"sessionId":"s","prompt":[]}}""");

        // Written to the client before the prompt went on to the agent: it comes before any of the agent's updates.
        JsonElement chunk = NoticeRig.Parse(await rig.Harness.ToClient.NextAsync());
        Assert.Equal("agent_message_chunk", NoticeRig.UpdateKind(chunk));
        Assert.StartsWith("\n\n**Context compacted:**", chunk.GetProperty("params").GetProperty("update").GetProperty("content").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"id\":2", await rig.Harness.Agent.ReadFromRelay.NextAsync(), StringComparison.Ordinal);
        Assert.False(rig.Desk.HasDeferred);
    }

    [Fact(Timeout = Timeout)]
    public async Task PostAsync_ClientWithoutNoticesInATurn_IsAChunkAtOnce()
    {
        await using var rig = new NoticeRig();
        await rig.InitializeAsync(notices: false);
        await rig.PromptAsync(1);

        await rig.Desk.PostAsync(NoticeRig.Notice(), CancellationToken.None);

        Assert.Equal("agent_message_chunk", NoticeRig.UpdateKind(NoticeRig.Parse(await rig.Harness.ToClient.NextAsync())));
    }

    [Fact(Timeout = Timeout)]
    public async Task TurnEnd_NoticeExpected_TheAnswerWaitsForItAndTheSessionsLaterUpdatesQueueBehind()
    {
        await using var rig = new NoticeRig();
        await rig.InitializeAsync(notices: false);
        await rig.PromptAsync(5);
        rig.Desk.Expect(NoticeKind.Compaction, "s", "cmp-1");

        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""");
        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"session_info_update","title":"T"}}}""");
        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"other","update":{"sessionUpdate":"session_info_update","title":"O"}}}""");

        // Another session's update passes; this session's answer and what followed it wait.
        Assert.Contains("\"other\"", await rig.Harness.ToClient.NextAsync(), StringComparison.Ordinal);
        await rig.Desk.PostAsync(NoticeRig.Notice(), CancellationToken.None);
        rig.Desk.Fulfil("s", "cmp-1");

        Assert.Equal("agent_message_chunk", NoticeRig.UpdateKind(NoticeRig.Parse(await rig.Harness.ToClient.NextAsync())));
        Assert.Equal("""{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""", await rig.Harness.ToClient.NextAsync());
        Assert.Contains("session_info_update", await rig.Harness.ToClient.NextAsync(), StringComparison.Ordinal);
        Assert.False(rig.Desk.HasDeferred);
    }

    [Fact(Timeout = Timeout)]
    public async Task PostAsync_WhileTheAnswerIsStillBetweenTheFeatures_IsShownBeforeIt()
    {
        // A feature that sees the answer before the hold (as the compaction signals do) and posts right then: the turn
        // has not ended for the desk until the answer has passed the hold.
        var poster = new PostOnAnswer();
        await using var rig = new NoticeRig(before: poster);
        poster.Desk = rig.Desk;
        await rig.InitializeAsync(notices: false);
        await rig.PromptAsync(5);

        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""");

        Assert.Equal("agent_message_chunk", NoticeRig.UpdateKind(NoticeRig.Parse(await rig.Harness.ToClient.NextAsync())));
        Assert.Contains("\"id\":5", await rig.Harness.ToClient.NextAsync(), StringComparison.Ordinal);
        Assert.False(rig.Desk.HasDeferred);
    }

    [Fact(Timeout = Timeout)]
    public async Task PostAsync_AfterTheTurnEnded_WaitsForTheNextTurn()
    {
        await using var rig = new NoticeRig();
        await rig.InitializeAsync(notices: false);
        await rig.PromptAsync(5);
        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""");
        await rig.Harness.ToClient.NextAsync();

        await rig.Desk.PostAsync(NoticeRig.Notice(), CancellationToken.None);

        Assert.True(rig.Desk.HasDeferred);
    }

    [Fact(Timeout = Timeout)]
    public async Task TurnEnd_ExpectedNoticeNeverComes_TheAnswerGoesOnAfterTheBound()
    {
        await using var rig = new NoticeRig();
        await rig.InitializeAsync(notices: true);
        await rig.PromptAsync(5);
        rig.Desk.Expect(NoticeKind.Compaction, "s", "cmp-1");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""");

        Assert.Contains("\"id\":5", await rig.Harness.ToClient.NextAsync(), StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, NoticeDesk.TurnEndBound - TimeSpan.FromMilliseconds(100), NoticeDesk.TurnEndBound + TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = Timeout)]
    public async Task TurnEnd_V2_TheIdleStateWaitsForTheNoticeBuiltAtTheTurnsEnd()
    {
        await using var rig = new NoticeRig();
        await rig.InitializeAsync(notices: false, version: 2);
        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"state_update","state":"running"}}}""");
        await rig.Harness.ToClient.NextAsync();
        rig.Desk.AtTurnEnd(NoticeKind.Context, "s", _ => Task.FromResult<HostNotice?>(NoticeRig.Notice(kind: NoticeKind.Context)));

        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"state_update","state":"idle","stopReason":"end_turn"}}}""");

        JsonElement notice = NoticeRig.Parse(await rig.Harness.ToClient.NextAsync());
        Assert.Equal("notice", NoticeRig.UpdateKind(notice)); // every v2 client shows notices
        Assert.Contains("\"idle\"", await rig.Harness.ToClient.NextAsync(), StringComparison.Ordinal);
        Assert.Empty(rig.Turns.AgentReplaced()); // idle ended the v2 turn: no agent death would cut it now
    }

    [Fact(Timeout = Timeout)]
    public async Task Switches_KindOff_NothingIsShownOrExpected()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Notices:Compaction"] = "false" }).Build();
        await using var rig = new NoticeRig(NoticeSwitches.From(configuration));
        await rig.InitializeAsync(notices: true);
        await rig.PromptAsync(5);
        rig.Desk.Expect(NoticeKind.Compaction, "s", "cmp-1");

        await rig.Desk.PostAsync(NoticeRig.Notice(), CancellationToken.None);
        await rig.Harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""", await rig.Harness.ToClient.NextAsync());
        Assert.False(rig.Desk.IsDue("s"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("Notices:Enabled", "false", false, false)]
    [InlineData("Notices:Context", "false", true, false)]
    [InlineData("Notices:Compaction", "true", true, true)]
    public async Task From_Settings_SwitchEachKindOrAll(string key, string value, bool compaction, bool context)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        NoticeSwitches switches = NoticeSwitches.From(configuration);

        Assert.Equal((compaction, context), (switches.IsOn(NoticeKind.Compaction), switches.IsOn(NoticeKind.Context)));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task From_AValueThatIsNotABoolean_NamesTheSetting()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Notices:AgentRestarted"] = "maybe" }).Build();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => NoticeSwitches.From(configuration));

        Assert.Contains("Notices:AgentRestarted", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    /// <summary>Posts a notice on the agent's answer to a prompt, on the relay's pump, as a feature before the hold would.</summary>
    private sealed class PostOnAnswer : IMessageInterceptor
    {
        public NoticeDesk? Desk { get; set; }

        public IReadOnlyCollection<string> Methods { get; } = ["session/prompt"];

        public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
        {
            if (context.Info.Kind == MessageKind.Response)
            {
                await Desk!.PostAsync(NoticeRig.Notice(), cancellationToken);
            }

            return InterceptResult.Forward;
        }
    }
}
