using System.Diagnostics;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The cache-expiry notice with the real agent, against a fake Messages API whose prompt cache expires (its lifetime
/// shortened to seconds, in the fake and through the documented setting <c>Usage:CacheTtl5m</c>): a client that shows
/// notices is told outside any turn, before the cache goes cold; any other client first in the next turn, that the cache
/// went cold. (The cold request itself, live: UsageTests.)
/// </summary>
[Collection(RealAgentCollection.Name)]
public class CacheExpiryNoticeTests(AgentInstall install)
{
    private const int Timeout = 300_000;
    private const long Context = 60_000;

    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    [Fact(Timeout = Timeout)]
    public async Task CacheExpiryOn_ClientShowsNotices_ToldAtOnceBeforeTheCacheGoesCold()
    {
        await using RealAgentSession session = await StartAsync();
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
        Assert.True(toldAt - answered < Ttl, $"told {toldAt - answered} after the last answer, within the cache's {Ttl}");
        string text = RealAgentSession.NoticeText(told);
        Assert.StartsWith("Prompt cache about to go cold: This session's prompt cache of 60,000 tokens expires at ", text, StringComparison.Ordinal);
        Assert.Contains("A prompt sent after writes all 60,000 tokens again ($0.30, $0.29 more than from a warm cache).", text, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task CacheExpiryOn_ClientWithoutNotices_ToldFirstInTheNextTurnThatItWentCold()
    {
        await using RealAgentSession session = await StartAsync("--log-level", "debug");
        await session.InitializeAsync(RealAgentSession.Capabilities(notices: false));
        string sessionId = await session.NewSessionAsync();
        await PromptAsync(session, sessionId, "First");

        // Nothing can be shown outside a turn: the notice waits, made once the cache has expired (the host says so).
        string waits = $"Notice (cache-expiry) for session {sessionId} waits for its next turn";
        var waited = Stopwatch.StartNew();
        while (!session.Host.Stderr.Contains(waits, StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < Ttl + ArrivalTimeout, $"no cache-expiry notice made; stderr:\n{session.Host.Stderr}");
            await Task.Delay(100);
        }

        Assert.DoesNotContain(session.Host.Messages, m => RealAgentSession.IsNotice(m, "cache-expiry"));
        int from = session.Host.MessageCount;
        JsonElement answer = await session.PromptAsync(sessionId, "Second, after the cache expired");
        List<JsonElement> turn = [.. session.Host.Messages.Skip(from)];
        int told = turn.FindIndex(m => RealAgentSession.IsNotice(m, "cache-expiry"));
        int agents = turn.FindIndex(m => RealAgentSession.IsUpdate(m, sessionId, "agent_message_chunk") && !RealAgentSession.IsNotice(m, "cache-expiry"));
        Assert.True(told >= 0 && told < agents, $"the notice ({told}) opens the turn, before the agent's words ({agents})");
        Assert.Equal("end_turn", RealAgentSession.Result(answer).GetProperty("stopReason").GetString());
        string text = RealAgentSession.NoticeText(turn[told]);
        Assert.StartsWith("\n\n**Prompt cache went cold:** This session's prompt cache expired at ", text, StringComparison.Ordinal);
        Assert.Contains("this prompt writes its 60,000 tokens of context into the cache again ($0.30, $0.29 more than from a warm cache)", text, StringComparison.Ordinal);
    }

    // A fifth of the lifetime ahead: 3 s before a 15 s cache expires, long enough after the turn for the read.
    private async Task<RealAgentSession> StartAsync(params string[] arguments)
    {
        RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, new Dictionary<string, string>
        {
            ["ACPHOST_Usage__CacheTtl5m"] = Ttl.ToString("c"),
            ["ACPHOST_Notices__CacheExpiry"] = "true",
            ["ACPHOST_Notices__CacheExpiryMinTokens"] = "50000",
        }, arguments);
        session.Api.ReportedInputTokens = Context;
        session.Api.PromptCache = new FakePromptCache(Ttl);
        return session;
    }

    private static async Task PromptAsync(RealAgentSession session, string sessionId, string text) =>
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, text)).GetProperty("stopReason").GetString());
}
