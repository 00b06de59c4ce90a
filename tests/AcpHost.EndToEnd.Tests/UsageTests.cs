using System.Text.Json;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// <c>acphost usage</c> on the transcript the real agent wrote through the host, against a fake Messages API whose
/// prompt cache expires: a pause past the cache's lifetime (shortened to seconds, in the fake and through the
/// documented setting <c>Usage:CacheTtl5m</c>) makes the next request write its whole context again, and usage shows it.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class UsageTests(AgentInstall install)
{
    private const int Timeout = 240_000;
    private const long Context = 60_000;

    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(4);

    [Fact(Timeout = Timeout)]
    public async Task Usage_PauseLongerThanTheCacheLives_ShowsTheColdRequestExpiredWithItsExtraCost()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
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
    }

    private static async Task PromptAsync(RealAgentSession session, string sessionId, string text) =>
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, text)).GetProperty("stopReason").GetString());
}
