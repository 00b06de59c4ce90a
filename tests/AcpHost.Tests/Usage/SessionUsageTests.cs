using AcpHost.Storage.Transcripts;
using AcpHost.Usage;
using static AcpHost.Tests.Usage.UsageLines;
using AcpHost.Events;

namespace AcpHost.Tests.Usage;

/// <summary>The rules of counting and pricing requests, each on generated lines with a known answer.</summary>
public sealed class SessionUsageTests
{
    private const int Timeout = 10_000;

    private static SessionUsage Feed(params string[] lines) => FeedWith(UsageSettings.Default, null, lines);

    private static SessionUsage FeedWith(UsageSettings settings, DateTimeOffset? since, params string[] lines)
    {
        var usage = new SessionUsage("s1", settings, since, keepSeries: true);
        foreach (string line in lines)
        {
            usage.Feed(Bytes(line));
        }

        return usage;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_ResponseWrittenAsThreeLines_CountedOnceWithItsLargestOutput()
    {
        // One response, one line per content block; the first was written before the output was all there.
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", input: 10, write5m: 20_000, output: 12),
            Request("s1", T0, "m1", input: 10, write5m: 20_000, output: 480),
            Request("s1", T0.AddSeconds(1), "m1", input: 10, write5m: 20_000, output: 480));

        Assert.Equal(1, usage.Totals.Requests);
        Assert.Equal(new TokenCounts(10, 20_000, 0, 0, 480), usage.Totals.Tokens);
        Assert.Equal(Usd(10, 4) + Usd(20_000, 5) + Usd(480, 20), usage.Totals.CostUsd, 9);
        Assert.Equal([new FillPoint(T0, 20_010)], usage.Series);
        Assert.Equal(usage.Totals.CostUsd, Assert.Single(usage.Days).Value.Total, 12);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_LineWithoutTheCacheSplit_WritesCountAsFiveMinutes()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 3_000, split: false),
            Request("s1", T0.AddMinutes(1), "m2", write5m: 1_000, write1h: 2_000, read: 3_010));

        Assert.Equal((4_000L, 2_000L), (usage.Totals.Tokens.CacheWrite5m, usage.Totals.Tokens.CacheWrite1h));
        Assert.Equal(Usd(20, 4) + Usd(4_000, 5) + Usd(2_000, 8) + Usd(3_010, 0.20) + Usd(200, 20), usage.Totals.CostUsd, 9);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_FirstRequestWritesEverything_IsNotCold()
    {
        SessionUsage usage = Feed(Request("s1", T0, "m1", write5m: 50_000));

        Assert.Equal(0, usage.Totals.ColdRequests);
        Assert.Empty(usage.Cold);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_SixMinutesAfterFiveMinuteCache_ColdExpiredWithItsExtraCost()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 50_000),
            Request("s1", T0.AddMinutes(4), "m2", write5m: 1_000, read: 50_010),
            Request("s1", T0.AddMinutes(10), "m3", write5m: 51_000));

        ColdRequest cold = Assert.Single(usage.Cold);
        Assert.Equal((ColdReasons.Expired, T0.AddMinutes(10), 360.0, 51_010L, 51_000L), (cold.Reason, cold.At, cold.Gap.TotalSeconds, cold.Context, cold.CacheWrite));
        Assert.Equal(Usd(51_000, 5 - 0.20), cold.ExtraCostUsd!.Value, 9);
        Assert.Equal(Usd(10, 4) + Usd(51_000, 5) + Usd(100, 20), cold.CostUsd!.Value, 9);
        Assert.Equal((1L, cold.ExtraCostUsd.Value, cold.CostUsd.Value), (usage.Totals.ColdRequests, usage.Totals.ColdExtraCostUsd, usage.Totals.ColdCostUsd));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_OneHourCache_LivesAnHourEvenAfterAReadOnlyRequest()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write1h: 50_000),
            Request("s1", T0.AddMinutes(40), "m2", read: 50_010),
            Request("s1", T0.AddMinutes(90), "m3", write1h: 51_000),
            Request("s1", T0.AddMinutes(95), "m4", write1h: 51_000));

        // 40 minutes then 50 minutes: within the hour each time, so the third was cold for another reason; the fourth
        // came 5 minutes after a one-hour write.
        Assert.Equal([ColdReasons.Unknown, ColdReasons.Unknown], usage.Cold.Select(cold => cold.Reason));
        Assert.Equal(Usd(51_000, 8 - 0.20), usage.Cold[0].ExtraCostUsd!.Value, 9);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_AfterACompaction_ColdCompacted()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 150_000),
            Boundary("s1", T0.AddMinutes(1)),
            Request("s1", T0.AddMinutes(2), "m2", write5m: 9_000, read: 500));

        Assert.Equal(ColdReasons.Compacted, Assert.Single(usage.Cold).Reason);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_ModelChanged_ColdModelPricedAtTheNewModel()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 60_000),
            Request("s1", T0.AddMinutes(1), "m2", write5m: 60_000, model: "claude-sonnet-5-20260630"));

        ColdRequest cold = Assert.Single(usage.Cold);
        Assert.Equal(ColdReasons.Model, cold.Reason);
        Assert.Equal(Usd(60_000, 2.50 - 0.20), cold.ExtraCostUsd!.Value, 9);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_ColdWithinTheTtlSameModelNoCompaction_ColdUnknown()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 60_000),
            Request("s1", T0.AddMinutes(1), "m2", write5m: 60_000));

        Assert.Equal(ColdReasons.Unknown, Assert.Single(usage.Cold).Reason);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_SmallContextsAndFifthReadFromCache_AreNotCold()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 50_000),
            Request("s1", T0.AddHours(1), "m2", input: 4_999, output: 1),
            Request("s1", T0.AddHours(2), "m3", input: 0, write5m: 40_000, read: 10_000),
            Request("s1", T0.AddHours(3), "m4", input: 1, write5m: 40_000, read: 9_999));

        // 4,999 tokens is below the floor; 10,000 of 50,000 is 20 %, not below it; 9,999 of 50,000 is.
        Assert.Equal([T0.AddHours(3)], usage.Cold.Select(cold => cold.At));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_Subagents_CountedInTheSessionShownApartEachItsOwnConversation()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 80_000),
            Request("s1", T0.AddMinutes(1), "a1", write5m: 30_000, sidechain: true, agentId: "agent-1"),
            Request("s1", T0.AddMinutes(2), "m2", write5m: 1_000, read: 80_010),
            Request("s1", T0.AddMinutes(20), "a2", write5m: 31_000, sidechain: true, agentId: "agent-1"));

        // The subagent's first request writes its own context: not cold. Its second, 19 minutes on, is.
        Assert.Equal((4L, 2L), (usage.Totals.Requests, usage.Totals.SidechainRequests));
        ColdRequest cold = Assert.Single(usage.Cold);
        Assert.Equal((ColdReasons.Expired, true, T0.AddMinutes(1)), (cold.Reason, cold.Sidechain, cold.PreviousAt));
        Assert.Equal([T0, T0.AddMinutes(2)], usage.Series.Select(point => point.At));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_UnpricedModel_CountedListedAndLeftOutOfTheCost()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "m1", write5m: 10_000),
            Request("s1", T0.AddMinutes(1), "m2", write5m: 10_000, model: "gateway-model-x"),
            Request("s1", T0.AddMinutes(30), "m3", write5m: 10_000, model: "gateway-model-x"));

        Assert.Equal(3, usage.Totals.Requests);
        Assert.Equal(["gateway-model-x"], usage.Totals.UnpricedModels);
        Assert.Equal(Usd(10, 4) + Usd(10_000, 5) + Usd(100, 20), usage.Totals.CostUsd, 9);
        Assert.All(usage.Cold.Where(cold => cold.Model == "gateway-model-x"), cold => Assert.Null(cold.ExtraCostUsd));
        Assert.Equal(2, usage.Cold.Count);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_Since_CountsOnlyLaterRequestsButJudgesThemAgainstEarlierOnes()
    {
        SessionUsage usage = FeedWith(
            UsageSettings.Default,
            T0.AddMinutes(30),
            Request("s1", T0, "m1", write5m: 50_000),
            Request("s1", T0.AddHours(1), "m2", write5m: 50_000));

        Assert.Equal(1, usage.Totals.Requests);
        Assert.Equal((ColdReasons.Expired, T0), (Assert.Single(usage.Cold).Reason, usage.Cold[0].PreviousAt));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_ForkCopiesOfTheParentsRequests_NotCountedButTheForksFirstRequestIsJudged()
    {
        SessionUsage usage = Feed(
            Request("s1", T0, "p1", write5m: 70_000, forkedFrom: "parent"),
            Request("s1", T0.AddMinutes(1), "p2", write5m: 1_000, read: 70_010, forkedFrom: "parent"),
            Request("s1", T0.AddMinutes(30), "f1", write5m: 71_100));

        Assert.Equal(1, usage.Totals.Requests);
        Assert.Equal(ColdReasons.Expired, Assert.Single(usage.Cold).Reason);
        Assert.Equal(("parent", T0.AddMinutes(1)), (usage.ForkedFrom, usage.ForkPoint));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Cache_AfterAOneHourWrite_WarmForAnHourAndWhatTheNextPromptPays()
    {
        SessionUsage usage = Feed(Request("s1", T0, "m1", input: 10, write1h: 100_000));

        CacheState cache = usage.Cache!;
        Assert.Equal((T0, TimeSpan.FromHours(1), 100_010L), (cache.LastRequestAt, cache.Ttl, cache.Context));
        Assert.True(cache.IsWarmAt(T0.AddMinutes(59)));
        Assert.False(cache.IsWarmAt(T0.AddMinutes(61)));
        Assert.Equal(Usd(100_010, 0.20), cache.WarmCostUsd!.Value, 9);
        Assert.Equal(Usd(100_010, 8), cache.ColdCostUsd!.Value, 9);
        Assert.Equal(Usd(100_010, 8 - 0.20), cache.ColdExtraCostUsd!.Value, 9);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_AbsurdCounts_SumsSaturateAndTheMedianIsExact()
    {
        const long Huge = 6_000_000_000_000_000_000;

        SessionUsage usage = Feed(
            Request("s1", T0, "m1", input: Huge, output: 1),
            Request("s1", T0.AddMinutes(1), "m2", input: 0, read: Huge, output: 1));

        Assert.Equal((long.MaxValue, Huge, Huge), (usage.Totals.Tokens.Context, usage.Totals.PeakContext, usage.Totals.MedianContext!.Value));
        Assert.True(double.IsFinite(usage.Totals.CostUsd));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Feed_ShortenedTtl_MakesAShortPauseExpire()
    {
        var settings = UsageSettings.Default with { Rules = new UsageRules { CacheTtl5m = TimeSpan.FromSeconds(2) } };

        SessionUsage usage = FeedWith(
            settings,
            null,
            Request("s1", T0, "m1", write5m: 50_000),
            Request("s1", T0.AddSeconds(3), "m2", write5m: 50_000));

        Assert.Equal(ColdReasons.Expired, Assert.Single(usage.Cold).Reason);
        await Task.CompletedTask;
    }
}
