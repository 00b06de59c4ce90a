using AcpHost.Features.Fork;

namespace AcpHost.Tests.Features.Fork;

public class PreCompactPolicyTests
{
    private const int Timeout = 5_000;

    [Fact(Timeout = Timeout)]
    public async Task Observe_CrossingOutsideATurn_ForksAtOnce()
    {
        var policy = new PreCompactPolicy(90);

        Assert.False(policy.Observe("s", 500_000, 1_000_000));
        Assert.True(policy.Observe("s", 900_000, 1_000_000));
        Assert.False(policy.Observe("s", 910_000, 1_000_000));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TurnEnded_AfterTheTurnThatCrossed_ForksOnce()
    {
        var policy = new PreCompactPolicy(90);
        policy.TurnStarted("s");

        Assert.False(policy.Observe("s", 950_000, 1_000_000));
        Assert.True(policy.TurnEnded("s"));

        policy.TurnStarted("s");
        Assert.False(policy.Observe("s", 960_000, 1_000_000));
        Assert.False(policy.TurnEnded("s"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TurnEnded_TurnThatStayedBelowTheMark_DoesNotFork()
    {
        var policy = new PreCompactPolicy(90);
        policy.TurnStarted("s");

        policy.Observe("s", 100_000, 1_000_000);

        Assert.False(policy.TurnEnded("s"));
        Assert.False(policy.TurnEnded("unknown"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Observe_StayingAboveTheMark_RearmsOnlyAfterTheFillDropsBelowIt()
    {
        var policy = new PreCompactPolicy(90);
        Assert.True(policy.Observe("s", 950_000, 1_000_000));

        Assert.False(policy.Observe("s", 960_000, 1_000_000));
        Assert.False(policy.Observe("s", 990_000, 1_000_000));

        Assert.False(policy.Observe("s", 2_500, 1_000_000)); // a compaction
        Assert.True(policy.Observe("s", 940_000, 1_000_000));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Observe_Sessions_AreIndependent()
    {
        var policy = new PreCompactPolicy(80);
        policy.TurnStarted("b");

        Assert.False(policy.Observe("b", 850, 1000));
        Assert.True(policy.Observe("a", 850, 1000));
        Assert.True(policy.TurnEnded("b"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Disarm_SessionIsNotForkedUntilItDropsBelowTheMark()
    {
        var policy = new PreCompactPolicy(90);
        policy.Disarm("copy");

        Assert.False(policy.Observe("copy", 990_000, 1_000_000));
        Assert.False(policy.Observe("copy", 1_000, 1_000_000));
        Assert.True(policy.Observe("copy", 990_000, 1_000_000));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData(null, 1000L)]
    [InlineData(900L, null)]
    [InlineData(900L, 0L)]
    public async Task Observe_UnknownFill_IsIgnored(long? used, long? size)
    {
        var policy = new PreCompactPolicy(50);

        Assert.False(policy.Observe("s", used, size));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData(85, 1_000_000, 850_000)]
    [InlineData(99, 1_000_000, 947_000)]
    [InlineData(85, 200_000, 147_000)]
    [InlineData(10, 40_000, 4_000)]
    public async Task MarkFor_PercentOfTheWindow_NeverPastShortlyBeforeTheAgentsOwnCompaction(double percent, long window, long mark)
    {
        Assert.Equal(mark, new PreCompactPolicy(percent).MarkFor(window));
        await Task.CompletedTask;
    }
}
