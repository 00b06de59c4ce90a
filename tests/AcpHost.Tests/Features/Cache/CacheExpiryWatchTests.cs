using AcpHost.Acp;
using AcpHost.Features.Cache;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Tests.Features.Recovery;
using AcpHost.Tests.Support;
using AcpHost.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace AcpHost.Tests.Features.Cache;

/// <summary>
/// When the cache-expiry notice fires, on a fake clock: one timer per large session, armed by the cache's new state
/// after a turn, disarmed by the next prompt; a fifth of the lifetime ahead (at most 5 min) for a client that shows
/// notices, at expiry for one told only in its next turn.
/// </summary>
public sealed class CacheExpiryWatchTests : IDisposable
{
    private const int Timeout = 10_000;
    private const string Session = "s-1";

    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly ModelPrice Opus = new(Input: 4, Output: 20, CacheWrite5m: 5, CacheWrite1h: 8, CacheRead: 0.20);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly PostedNotices _notices = new();
    private readonly ClientProfile _profile = new();
    private readonly SessionTurns _turns = new();
    private readonly LiveUsage _usage = new(UsageSettings.Default);
    private readonly CacheExpiryWatch _watch;

    public CacheExpiryWatchTests()
    {
        _profile.ClientInitializing(declaresNotices: true);
        _watch = new CacheExpiryWatch(_usage, _notices, _profile, _turns, _time, CacheExpiryWatch.DefaultMinTokens, new ListLogger<CacheExpiryWatch>());
    }

    public void Dispose() => _watch.Dispose();

    private static CacheState Cache(DateTimeOffset at, long context = 400_000, bool oneHour = false, ModelPrice? price = null) =>
        new(at, oneHour ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(5), oneHour, "claude-opus-5-5", context, price ?? Opus);

    [Theory(Timeout = Timeout)]
    [InlineData(false, 4 * 60)]
    [InlineData(true, 55 * 60)]
    public async Task Arm_LargeSession_NoticeALeadBeforeExpiryAndNotEarlier(bool oneHour, int firesAfterSeconds)
    {
        _watch.Arm(Session, Cache(T0, oneHour: oneHour));

        _time.Advance(TimeSpan.FromSeconds(firesAfterSeconds - 1));
        Assert.Empty(_notices.Posted);
        _time.Advance(TimeSpan.FromSeconds(1));

        HostNotice notice = Assert.Single(_notices.Posted);
        Assert.Equal((Session, NoticeKind.CacheExpiry, "Prompt cache about to go cold"), (notice.SessionId, notice.Kind, notice.Title));
        string expires = oneHour ? "10:00:00 UTC, in 5 min" : "09:05:00 UTC, in 1 min";
        Assert.Contains($"This session's prompt cache of 400,000 tokens expires at {expires}", notice.Summary, StringComparison.Ordinal);
        string cold = oneHour ? "$3.20, $3.12 more" : "$2.00, $1.92 more";
        Assert.Contains($"A prompt sent after writes all 400,000 tokens again ({cold} than from a warm cache).", notice.Parts);
        Assert.Contains("A prompt sent before then reads the context from the cache ($0.08).", notice.Parts);

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Single(_notices.Posted);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Prompt_BeforeTheTimer_Disarms()
    {
        _watch.Arm(Session, Cache(T0));
        _time.Advance(TimeSpan.FromMinutes(3));

        await new ScriptedOutlet().PassAsync(_watch, Direction.FromClient, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"session/prompt\",\"params\":{\"sessionId\":\"" + Session + "\",\"prompt\":[]}}");
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(_notices.Posted);
    }

    [Fact(Timeout = Timeout)]
    public async Task Arm_NewerRequest_ReplacesTheTimer()
    {
        _watch.Arm(Session, Cache(T0));
        _time.Advance(TimeSpan.FromMinutes(3));
        _watch.Arm(Session, Cache(T0.AddMinutes(3)));

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Empty(_notices.Posted);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Contains("expires at 09:08:00 UTC", Assert.Single(_notices.Posted).Summary, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Arm_ContextBelowTheMinimum_NoTimerAndTheOldOneGone()
    {
        _watch.Arm(Session, Cache(T0));
        _watch.Arm(Session, Cache(T0.AddSeconds(1), context: CacheExpiryWatch.DefaultMinTokens - 1));

        _time.Advance(TimeSpan.FromHours(2));

        Assert.Empty(_notices.Posted);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Arm_ClientWithoutNotices_WentColdNoticeAtExpiryForTheNextTurn()
    {
        _profile.ClientInitializing(declaresNotices: false);
        _watch.Arm(Session, Cache(T0) with { Price = null });

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(_notices.Posted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        HostNotice notice = Assert.Single(_notices.Posted);
        Assert.Equal("Prompt cache went cold", notice.Title);
        Assert.Equal(
            "This session's prompt cache expired at 09:05:00 UTC (its last model request was at 09:00:00 UTC and the cache lives 5 min): this prompt writes its 400,000 tokens of context into the cache again (no price configured for claude-opus-5-5).",
            notice.Summary);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Fire_SessionInATurn_NoNotice()
    {
        _watch.Arm(Session, Cache(T0));
        _turns.ForegroundChanged(Session, running: true);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(_notices.Posted);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Constructor_NoticeOff_NoTimerEverAndNoPromptRead()
    {
        var off = new PostedNotices { On = false };
        using var watch = new CacheExpiryWatch(_usage, off, _profile, _turns, _time, 0, new ListLogger<CacheExpiryWatch>());

        Assert.False(watch.Wants("session/prompt", default));
        _usage.Learned(Session, [], Cache(T0));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(off.Posted);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("00:05:00", "00:01:00")]
    [InlineData("01:00:00", "00:05:00")]
    [InlineData("00:00:10", "00:00:02")]
    public async Task Lead_IsAFifthOfTheLifetimeAtMostFiveMinutes(string ttl, string lead)
    {
        Assert.Equal(TimeSpan.Parse(lead, System.Globalization.CultureInfo.InvariantCulture), CacheExpiryWatch.Lead(TimeSpan.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture)));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData(null, CacheExpiryWatch.DefaultMinTokens)]
    [InlineData("50000", 50_000L)]
    public async Task MinTokensFrom_ReadsTheSetting(string? value, long expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Notices:CacheExpiryMinTokens"] = value }).Build();
        Assert.Equal(expected, CacheExpiryWatch.MinTokensFrom(configuration));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task MinTokensFrom_NotANumber_StopsNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Notices:CacheExpiryMinTokens"] = "lots" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => (object)CacheExpiryWatch.MinTokensFrom(configuration));
        Assert.Contains("Notices:CacheExpiryMinTokens", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private sealed class PostedNotices : INotices
    {
        public bool On { get; init; } = true;

        public List<HostNotice> Posted { get; } = [];

        public bool IsOn(NoticeKind kind) => On;

        public ValueTask PostAsync(HostNotice notice, CancellationToken cancellationToken)
        {
            lock (Posted)
            {
                Posted.Add(notice);
            }

            return ValueTask.CompletedTask;
        }

        public void Expect(NoticeKind kind, string sessionId, string key)
        {
        }

        public void Fulfil(string sessionId, string key)
        {
        }

        public void AtTurnEnd(NoticeKind kind, string sessionId, Func<CancellationToken, Task<HostNotice?>> build)
        {
        }
    }
}
