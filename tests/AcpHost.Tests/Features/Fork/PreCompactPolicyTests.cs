using AcpHost.Features.Fork;

namespace AcpHost.Tests.Features.Fork;

public class PreCompactPolicyTests
{
    private const int Timeout = 5_000;

    [Fact(Timeout = Timeout)]
    public async Task Crossing_MakesOneForkDue()
    {
        var policy = new PreCompactPolicy(90);

        policy.Observe("s", 500_000, 1_000_000);
        Assert.False(policy.TakeDue("s"));
        policy.Observe("s", 900_000, 1_000_000);

        Assert.True(policy.TakeDue("s"));
        Assert.False(policy.TakeDue("s"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task StayingAboveTheMark_DoesNotForkAgain_UntilTheFillDropsBelowIt()
    {
        var policy = new PreCompactPolicy(90);
        policy.Observe("s", 950_000, 1_000_000);
        Assert.True(policy.TakeDue("s"));

        policy.Observe("s", 960_000, 1_000_000);
        policy.Observe("s", 990_000, 1_000_000);
        Assert.False(policy.TakeDue("s"));

        policy.Observe("s", 2_500, 1_000_000); // a compaction
        policy.Observe("s", 940_000, 1_000_000);
        Assert.True(policy.TakeDue("s"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Sessions_AreIndependent()
    {
        var policy = new PreCompactPolicy(80);
        policy.Observe("a", 850, 1000);
        policy.Observe("b", 100, 1000);

        Assert.False(policy.TakeDue("b"));
        Assert.True(policy.TakeDue("a"));
        Assert.False(policy.TakeDue("unknown"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task DisarmedSession_IsNotForkedUntilItDropsBelowTheMark()
    {
        var policy = new PreCompactPolicy(90);
        policy.Disarm("copy");

        policy.Observe("copy", 990_000, 1_000_000);
        Assert.False(policy.TakeDue("copy"));
        policy.Observe("copy", 1_000, 1_000_000);
        policy.Observe("copy", 990_000, 1_000_000);
        Assert.True(policy.TakeDue("copy"));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData(null, 1000L)]
    [InlineData(900L, null)]
    [InlineData(900L, 0L)]
    public async Task UnknownFill_IsIgnored(long? used, long? size)
    {
        var policy = new PreCompactPolicy(50);

        policy.Observe("s", used, size);

        Assert.False(policy.TakeDue("s"));
        await Task.CompletedTask;
    }
}
