using AcpHost.Features.Compaction;
using AcpHost.Relay.Protocol;
using AcpHost.State;

namespace AcpHost.Tests.Features.Compaction;

public class SessionTurnsTests
{
    private const int Timeout = 10_000;

    [Fact(Timeout = Timeout)]
    public async Task BeganOutsideTurn_PromptInFlightElsewhere_OnlyThatSessionIsInATurn()
    {
        var turns = new SessionTurns();
        turns.PromptSent(new RequestId("p-1"), "busy", isCompact: false);

        Assert.False(turns.BeganOutsideTurn("busy"));
        Assert.True(turns.BeganOutsideTurn("quiet"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task BeganOutsideTurn_AwaitedCompact_IsConsumedByOneCompactionOnly()
    {
        var turns = new SessionTurns();
        turns.PromptSent(new RequestId(1), "s", isCompact: true);
        Assert.Equal("s", turns.PromptAnswered(new RequestId(1)));

        Assert.False(turns.BeganOutsideTurn("s"));
        Assert.True(turns.BeganOutsideTurn("s"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task BeganOutsideTurn_CompactThatNeverCompactedThenAnotherPrompt_NoLongerAwaited()
    {
        var turns = new SessionTurns();
        turns.PromptSent(new RequestId(1), "s", isCompact: true);
        turns.PromptAnswered(new RequestId(1));
        turns.PromptSent(new RequestId(2), "s", isCompact: false);
        turns.PromptAnswered(new RequestId(2));

        Assert.True(turns.BeganOutsideTurn("s"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentReplaced_PromptsTheHostAnsweredItself_AreNoLongerInFlight()
    {
        var turns = new SessionTurns();
        turns.PromptSent(new RequestId(1), "s", isCompact: false);
        turns.PromptSent(new RequestId(2), "t", isCompact: true);

        turns.AgentReplaced();

        Assert.True(turns.BeganOutsideTurn("s"));
        Assert.True(turns.BeganOutsideTurn("t"));
        Assert.Null(turns.PromptAnswered(new RequestId(1)));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ForegroundChanged_RunningThenIdle_WentIdleOnceAndInTurnMeanwhile()
    {
        var turns = new SessionTurns();
        var idle = new List<string>();
        turns.WentIdle += idle.Add;

        turns.ForegroundChanged("s", running: false);
        turns.ForegroundChanged("s", running: true);
        Assert.True(turns.IsInTurn("s"));
        turns.ForegroundChanged("s", running: false);
        turns.ForegroundChanged("s", running: false);

        Assert.Equal(["s"], idle);
        Assert.False(turns.IsInTurn("s"));
        await Task.CompletedTask;
    }
}
