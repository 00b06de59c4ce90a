using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The smoke test each published build gets (scripts/test.sh runs it against the ReadyToRun fallback beside the whole
/// suite against the native build): one session through the real agent, with what the host adds.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class PublishedBuildSmokeTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task Host_InitializePromptForkCompact_EachAnsweredAndTheCompactionRecorded()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        HostUnderTest host = session.Host;

        Assert.Equal(1, (await session.InitializeAsync()).GetProperty("protocolVersion").GetInt32());
        string sessionId = await session.NewSessionAsync();
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "Say hello")).GetProperty("stopReason").GetString());

        // /fork is the host's: the new session is announced before the turn ends.
        int from = host.MessageCount;
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "/fork smoke")).GetProperty("stopReason").GetString());
        JsonElement forked = (await host.WaitForAsync(
            m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked", RealAgentSession.StepTimeout, from)).GetProperty("params");
        Assert.Equal(sessionId, forked.GetProperty("parentSessionId").GetString());

        // A compaction: told to the client, then found in the ledger by the CLI of the same build.
        from = host.MessageCount;
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "/compact")).GetProperty("stopReason").GetString());
        JsonElement told = (await host.WaitForAsync(
            m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction", RealAgentSession.StepTimeout, from)).GetProperty("params");
        Assert.Equal("manual", told.GetProperty("trigger").GetString());

        host.CloseStdin();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["compactions", "--data-dir", session.DataDir, "--json"], environment: null, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, stderr);
        JsonElement record = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
        Assert.Equal(sessionId, record.GetProperty("sessionId").GetString());
        Assert.Equal(told.GetProperty("preTokens").GetInt64(), record.GetProperty("preTokens").GetInt64());
        StdoutAssert.OnlyJsonRpc(host.StdoutLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Host_IdleAfterItsFirstSession_GivesBackItsStartupPagesAndGoesOnAnswering()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install, "--log-level", "debug");
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();

        // Idle once the session is open: the release comes within a few of its 250 ms ticks.
        var waited = Stopwatch.StartNew();
        Match released;
        while (!(released = Regex.Match(session.Host.Stderr, @"Start-up over: gave back ([0-9.]+) MiB")).Success)
        {
            Assert.True(waited.Elapsed < RealAgentSession.StepTimeout, $"no start-up pages given back; stderr:\n{session.Host.Stderr}");
            await Task.Delay(100);
        }

        double miB = double.Parse(released.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(miB >= 1, $"gave back only {miB} MiB");
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "Say hello")).GetProperty("stopReason").GetString());
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }
}
