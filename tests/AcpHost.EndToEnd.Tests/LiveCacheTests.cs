using System.Text.Json;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Otlp;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The prompt cache as the host follows it live, with the real agent against a fake Messages API whose cache expires
/// (its lifetime shortened to seconds, in the fake and through the documented setting <c>Usage:CacheTtl5m</c>): a
/// pause past it shows the cold request as an OTLP event, in the <c>/context</c> addition and in <c>acphost usage</c>;
/// and, with the cache-expiry notice on, a client that shows notices is told before the cache goes cold.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class LiveCacheTests(AgentInstall install)
{
    private const int Timeout = 300_000;
    private const long Context = 60_000;

    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = Timeout)]
    public async Task PauseLongerThanTheCacheLives_ColdRequestAsOtlpEventInContextAndInUsage()
    {
        TimeSpan ttl = TimeSpan.FromSeconds(4);
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync("http/protobuf");
        Dictionary<string, string> environment = receiver.ExportEnvironment();
        environment["ACPHOST_Usage__CacheTtl5m"] = ttl.ToString("c");
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, environment);
        session.Api.ReportedInputTokens = Context;
        session.Api.PromptCache = new FakePromptCache(ttl);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        await PromptAsync(session, sessionId, "First");
        await PromptAsync(session, sessionId, "Second");
        DateTimeOffset lastAnswer = DateTimeOffset.UtcNow;
        await Task.Delay(ttl + TimeSpan.FromSeconds(2));
        DateTimeOffset pausedUntil = DateTimeOffset.UtcNow;
        await PromptAsync(session, sessionId, "Third, after a pause");

        // The second request may be cold too on a machine slow enough to take longer than the lifetime for one turn;
        // the third is the one that waited.
        double pause = (pausedUntil - lastAnswer).TotalSeconds - 0.01;
        OtlpLog cold = await receiver.WaitForLogAsync(
            l => l["event.name"] as string == "acphost.cache.cold" && l["session.id"] as string == sessionId && l["gap_s"] is double gap && gap >= pause, ArrivalTimeout);
        Assert.Equal("expired", cold["reason"]);
        Assert.Equal(Context, cold["context_tokens"]);
        Assert.Equal(Context - 10, cold["cache_write_tokens"]);
        Assert.Equal(Math.Round((Context - 10) * (5 - 0.20) / 1_000_000, 6), cold["extra_cost_usd"]);
        OtlpPoint tokens = await receiver.WaitForPointAsync(p => p.Metric == "acphost.cache.cold.tokens" && p.Attributes.GetValueOrDefault("reason") as string == "expired", ArrivalTimeout);
        Assert.True(tokens.Value >= Context - 10, $"cold tokens counted: {tokens.Value}");

        int from = session.Host.MessageCount;
        await session.PromptAsync(sessionId, "/context");
        JsonElement addition = session.Host.Messages.Skip(from).Single(m => RealAgentSession.IsNotice(m, "context"));
        string text = RealAgentSession.NoticeText(addition);
        Assert.Contains("Prompt cache: last model request at ", text, StringComparison.Ordinal);
        Assert.Contains("cache lifetime 4 s", text, StringComparison.Ordinal);
        Assert.Contains("Next prompt: warm, it reads 60,000 tokens from the cache", text, StringComparison.Ordinal);
        Assert.Contains("Requests that found the cache cold: ", text, StringComparison.Ordinal);
        Assert.Contains("(expired, after ", text, StringComparison.Ordinal);
        Assert.Contains("writing 59,990 tokens again.", text, StringComparison.Ordinal);

        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["usage", Path.Combine(session.ClaudeConfigDir, "projects"), "--json", "--session", sessionId, "--set", $"Usage:CacheTtl5m={ttl:c}"],
            environment: null,
            TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, stderr);
        JsonElement usage = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("sessions").EnumerateArray());
        JsonElement third = Assert.Single(usage.GetProperty("cold").EnumerateArray(), c => c.GetProperty("at").GetDateTimeOffset() >= pausedUntil);
        Assert.Equal("expired", third.GetProperty("reason").GetString());
        Assert.Equal(cold["gap_s"], Math.Round(third.GetProperty("gapSeconds").GetDouble(), 3));
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task CacheExpiryOn_ClientShowsNotices_ToldAtOnceBeforeTheCacheGoesCold()
    {
        // A fifth of the lifetime ahead: 3 s before a 15 s cache expires, long enough after the turn for the read.
        TimeSpan ttl = TimeSpan.FromSeconds(15);
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, new Dictionary<string, string>
        {
            ["ACPHOST_Usage__CacheTtl5m"] = ttl.ToString("c"),
            ["ACPHOST_Notices__CacheExpiry"] = "true",
            ["ACPHOST_Notices__CacheExpiryMinTokens"] = "50000",
        });
        session.Api.ReportedInputTokens = Context;
        session.Api.PromptCache = new FakePromptCache(ttl);
        await session.InitializeAsync(RealAgentSession.Capabilities(notices: true));
        string sessionId = await session.NewSessionAsync();
        await PromptAsync(session, sessionId, "First");

        int from = session.Host.MessageCount;
        await PromptAsync(session, sessionId, "Second");
        DateTimeOffset answered = DateTimeOffset.UtcNow;
        int turnEnded = session.Host.MessageCount;

        JsonElement told = await session.Host.WaitForAsync(m => RealAgentSession.IsNotice(m, "cache-expiry"), ArrivalTimeout, from);
        DateTimeOffset toldAt = DateTimeOffset.UtcNow;
        Assert.Equal("notice", told.GetProperty("params").GetProperty("update").GetProperty("sessionUpdate").GetString());
        Assert.Equal(sessionId, told.GetProperty("params").GetProperty("sessionId").GetString());
        Assert.True(session.Host.Messages.Skip(turnEnded).Any(m => m.GetRawText() == told.GetRawText()), "told after the turn ended, outside any turn");
        Assert.True(toldAt - answered < ttl, $"told {toldAt - answered} after the last answer, within the cache's {ttl}");
        string text = RealAgentSession.NoticeText(told);
        Assert.StartsWith("Prompt cache about to go cold: This session's prompt cache of 60,000 tokens expires at ", text, StringComparison.Ordinal);
        Assert.Contains("A prompt sent after writes all 60,000 tokens again ($0.30, $0.29 more than from a warm cache).", text, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    private static async Task PromptAsync(RealAgentSession session, string sessionId, string text) =>
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, text)).GetProperty("stopReason").GetString());
}
