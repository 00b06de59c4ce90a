using System.Text.Json;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Otlp;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The real agent through the host, against a fake Messages API whose prompt cache expires: a pause past the cache's
/// lifetime (shortened to seconds, in the fake and through the documented setting <c>Usage:CacheTtl5m</c>) makes the
/// next request write its whole context again. The host, following the transcript live, exports the cold request as an
/// OTLP event and shows it in the <c>/context</c> addition; <c>acphost usage</c> shows it on the transcript afterwards.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class UsageTests(AgentInstall install)
{
    private const int Timeout = 240_000;
    private const long Context = 60_000;

    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = Timeout)]
    public async Task PauseLongerThanTheCacheLives_ColdRequestAsOtlpEventInContextAndInUsageWithItsExtraCost()
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync("http/protobuf");
        Dictionary<string, string> environment = receiver.ExportEnvironment();
        environment["ACPHOST_Usage__CacheTtl5m"] = Ttl.ToString("c");
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, environment);
        session.Api.ReportedInputTokens = Context;
        session.Api.PromptCache = new FakePromptCache(Ttl);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        await PromptAsync(session, sessionId, "First");
        DateTimeOffset beforeSecond = DateTimeOffset.UtcNow;
        await PromptAsync(session, sessionId, "Second");

        // The pause: past the cache's lifetime, counted from when the second answer was in.
        DateTimeOffset lastAnswer = DateTimeOffset.UtcNow;
        await Task.Delay(Ttl + TimeSpan.FromSeconds(2));
        DateTimeOffset pausedUntil = DateTimeOffset.UtcNow;
        await PromptAsync(session, sessionId, "Third, after a pause");
        DateTimeOffset afterThird = DateTimeOffset.UtcNow;

        // Live: the event, once the host has read the turn's transcript lines. The second request may be cold too
        // (below); the third is the one that waited.
        double pause = (pausedUntil - lastAnswer).TotalSeconds - 0.01;
        OtlpLog live = await receiver.WaitForLogAsync(
            l => l["event.name"] as string == "acphost.cache.cold" && l["session.id"] as string == sessionId && l["gap_s"] is double gap && gap >= pause, ArrivalTimeout);
        Assert.Equal("expired", live["reason"]);
        Assert.Equal(Context, live["context_tokens"]);
        Assert.Equal(Context - 10, live["cache_write_tokens"]);
        Assert.Equal(Math.Round((Context - 10) * (5 - 0.20) / 1_000_000, 6), live["extra_cost_usd"]);
        OtlpPoint tokens = await receiver.WaitForPointAsync(p => p.Metric == "acphost.cache.cold.tokens" && p.Attributes.GetValueOrDefault("reason") as string == "expired", ArrivalTimeout);
        Assert.True(tokens.Value >= Context - 10, $"cold tokens counted: {tokens.Value}");

        int from = session.Host.MessageCount;
        await session.PromptAsync(sessionId, "/context");
        string context = RealAgentSession.NoticeText(session.Host.Messages.Skip(from).Single(m => RealAgentSession.IsNotice(m, "context")));
        Assert.Contains("Prompt cache: last model request at ", context, StringComparison.Ordinal);
        Assert.Contains("cache lifetime 4 s", context, StringComparison.Ordinal);
        Assert.Contains("Next prompt: warm, it reads 60,000 tokens from the cache", context, StringComparison.Ordinal);
        Assert.Contains("Requests that found the cache cold: ", context, StringComparison.Ordinal);
        Assert.Contains("(expired, after ", context, StringComparison.Ordinal);
        Assert.Contains("writing 59,990 tokens again.", context, StringComparison.Ordinal);

        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["usage", Path.Combine(session.ClaudeConfigDir, "projects"), "--json", "--session", sessionId, "--set", $"Usage:CacheTtl5m={Ttl:c}"],
            environment: null,
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, stderr);
        JsonElement usage = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("sessions").EnumerateArray());
        Assert.Equal(3, usage.GetProperty("requests").GetInt32());
        Assert.Equal(Context, usage.GetProperty("peakContext").GetInt64());

        // The third request is cold for having waited; the second may be too on a machine slow enough to take longer
        // than the lifetime for one turn, and then for the same reason.
        JsonElement[] cold = [.. usage.GetProperty("cold").EnumerateArray()];
        Assert.All(cold, c => Assert.Equal("expired", c.GetProperty("reason").GetString()));
        JsonElement third = Assert.Single(cold, c => c.GetProperty("at").GetDateTimeOffset() >= pausedUntil);
        // The transcript's times lie within what the test saw: the second answer after the second prompt was sent and
        // before it was answered, the third after the pause and before its answer came.
        Assert.InRange(third.GetProperty("gapSeconds").GetDouble(), (pausedUntil - lastAnswer).TotalSeconds - 0.01, (afterThird - beforeSecond).TotalSeconds + 0.01);
        Assert.Equal((Context, Context - 10), (third.GetProperty("context").GetInt64(), third.GetProperty("cacheWrite").GetInt64()));

        // claude-opus-5-5, the agent's model: each token written again at $5 instead of read at $0.20 per million.
        Assert.Empty(usage.GetProperty("unpricedModels").EnumerateArray());
        Assert.Equal(Math.Round((Context - 10) * (5 - 0.20) / 1_000_000, 6), third.GetProperty("extraCostUsd").GetDouble());
        Assert.Equal(cold.Length, usage.GetProperty("coldRequests").GetInt32());
        Assert.Equal(live["gap_s"], Math.Round(third.GetProperty("gapSeconds").GetDouble(), 3));
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    private static async Task PromptAsync(RealAgentSession session, string sessionId, string text) =>
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, text)).GetProperty("stopReason").GetString());
}
