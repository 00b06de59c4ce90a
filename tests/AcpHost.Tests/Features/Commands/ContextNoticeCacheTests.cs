using AcpHost.Acp;
using AcpHost.Features.Commands;
using AcpHost.Events;
using AcpHost.Usage;

namespace AcpHost.Tests.Features.Commands;

/// <summary>The prompt-cache section of the <c>/context</c> addition, from what the live usage model knows.</summary>
public sealed class ContextNoticeCacheTests
{
    private const int Timeout = 10_000;
    private const string Session = "s-ctx";

    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly ModelPrice Opus = new(Input: 4, Output: 20, CacheWrite5m: 5, CacheWrite1h: 8, CacheRead: 0.20);
    private static readonly SessionStory Story = new(Session, new Dictionary<string, SessionRecord>(), Array.Empty<CompactionRecord>());

    private static string TextAt(UsageSnapshot? usage, DateTimeOffset now) =>
        ContextNotice.For(Story, new ContextFacts(null, null, _ => null, usage, now)).Description;

    [Fact(Timeout = Timeout)]
    public async Task For_WarmPricedCache_TimeLeftAndNextPromptWarmVersusCold()
    {
        var cache = new CacheState(T0, TimeSpan.FromMinutes(5), OneHour: false, "claude-opus-5-5", 400_000, Opus);

        string text = TextAt(new UsageSnapshot(cache, 0, 0, null), T0.AddSeconds(100));

        Assert.Contains("Prompt cache: last model request at 09:00:00 UTC, cache lifetime 5 min (until 09:05:00 UTC): 3 min 20 s left.", text, StringComparison.Ordinal);
        Assert.Contains("Next prompt: warm, it reads 400,000 tokens from the cache ($0.08); cold, it writes them again ($2.00, $1.92 more).", text, StringComparison.Ordinal);
        Assert.DoesNotContain("found the cache cold", text, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task For_ExpiredUnpricedCacheAfterAColdRequest_SaysColdSinceAndNoPrice()
    {
        var cache = new CacheState(T0, TimeSpan.FromHours(1), OneHour: true, "house-model", 250_000, Price: null);
        var cold = new ColdRequest(T0, ColdReasons.Expired, T0.AddMinutes(-70), 250_000, 249_000, null, null, "house-model", Sidechain: false);

        string text = TextAt(new UsageSnapshot(cache, 1, 0, cold), T0.AddMinutes(61));

        Assert.Contains("cache lifetime 1 h (until 10:00:00 UTC): cold since 1 min ago.", text, StringComparison.Ordinal);
        Assert.Contains("no price configured for house-model", text, StringComparison.Ordinal);
        Assert.Contains("Requests that found the cache cold: 1; the last at 09:00:00 UTC (" + ColdReasons.Expired + ", after 1 h 10 min), writing 249,000 tokens again.", text, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task For_NoRequestSeen_SaysSo()
    {
        Assert.Contains("Prompt cache: no model request seen since AcpHost began following this session.", TextAt(null, T0), StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
