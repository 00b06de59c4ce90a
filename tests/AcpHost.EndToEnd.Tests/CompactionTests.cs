using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>Every compaction of a relayed session, manual or automatic, whatever the client, recorded once.</summary>
[Collection(RealAgentCollection.Name)]
public class CompactionTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    private static JsonObject CompactionCapable() => new()
    {
        ["fs"] = new JsonObject { ["readTextFile"] = false, ["writeTextFile"] = false },
        ["terminal"] = false,
        ["session"] = new JsonObject { ["compaction"] = new JsonObject() },
    };

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManualCompact_SummarizerFails_TheFailureIsNotRecordedNorToldAsACompaction(bool compactionClient)
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync(compactionClient ? CompactionCapable() : null);
        string sessionId = await session.NewSessionAsync();

        await session.PromptAsync(sessionId, "Say hello");

        // The summarizer's request is refused, so the agent's compaction fails and nothing is flattened.
        session.Api.SummaryFails = true;
        int from = session.Host.MessageCount;
        await session.PromptAsync(sessionId, "/compact");
        session.Api.SummaryFails = false;
        Assert.Contains(session.Updates(sessionId), u => u.TryGetProperty("status", out JsonElement status) && status.GetString() == "failed");
        await session.PromptAsync(sessionId, "Say hello");

        // Nothing was flattened: no notice says so, and the ledger, flushed when the host ends, holds no record of it.
        Assert.DoesNotContain(session.Host.Messages.Skip(from), m => RealAgentSession.IsNotice(m, "compaction"));
        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(session.Host.Messages.Skip(from), m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction");
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["compactions", "--data-dir", session.DataDir, "--json"], environment: null, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, stderr);
        Assert.Empty(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
    }

    [Fact(Timeout = Timeout)]
    public async Task ManualCompact_PlainClient_OneRecordWithTheAgentsPreTokens()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Say hello");

        int from = session.Host.MessageCount;
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "/compact")).GetProperty("stopReason").GetString());

        // What the agent itself computed, as its synthetic tool call reported it.
        JsonElement rawOutput = session.Updates(sessionId).Last(u => u.TryGetProperty("rawOutput", out JsonElement r) && r.TryGetProperty("preTokens", out _)).GetProperty("rawOutput");
        long preTokens = rawOutput.GetProperty("preTokens").GetInt64();

        JsonElement notification = await WaitForCompactionNotificationAsync(session, from);
        Assert.Equal(sessionId, notification.GetProperty("sessionId").GetString());
        Assert.Equal("manual", notification.GetProperty("trigger").GetString());
        Assert.Equal(preTokens, notification.GetProperty("preTokens").GetInt64());
        Assert.Equal(rawOutput.GetProperty("postTokens").GetInt64(), notification.GetProperty("postTokens").GetInt64());

        JsonElement record = await SingleLedgerRecordAfterExitAsync(session);
        Assert.Equal(sessionId, record.GetProperty("sessionId").GetString());
        Assert.Equal("manual", record.GetProperty("trigger").GetString());
        Assert.Equal(preTokens, record.GetProperty("preTokens").GetInt64());
        Assert.Equal("tool_call", record.GetProperty("source").GetString());
        Assert.Equal(1_000_000, record.GetProperty("contextWindow").GetInt64());
        Assert.Contains($"Compact boundary: trigger=manual preTokens={preTokens}", session.Host.Stderr, StringComparison.Ordinal);
        Assert.Single(CompactLogLines(session.Host.Stderr));
    }

    [Fact(Timeout = Timeout)]
    public async Task AutoCompact_PlainClient_OneRecordTriggeredAuto()
    {
        // This records the compaction alone: the fork before it (on by default) is ForkTests' and NoticeTests' to test.
        await using RealAgentSession session = await RealAgentSession.StartAsync(install, "--fork-before-compact", "off");
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        session.Api.ReportedInputTokens = 990_000;
        await session.PromptAsync(sessionId, "Fill the context");

        int from = session.Host.MessageCount;
        await session.PromptAsync(sessionId, "This turn compacts first");

        JsonElement notification = await WaitForCompactionNotificationAsync(session, from);
        Assert.Equal("auto", notification.GetProperty("trigger").GetString());
        long preTokens = notification.GetProperty("preTokens").GetInt64();
        Assert.InRange(preTokens, 990_000, 1_000_000);

        Assert.DoesNotContain(session.Host.Messages, m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked");
        JsonElement record = await SingleLedgerRecordAfterExitAsync(session);
        Assert.Equal("auto", record.GetProperty("trigger").GetString());
        Assert.Equal(preTokens, record.GetProperty("preTokens").GetInt64());
        Assert.Single(CompactLogLines(session.Host.Stderr));
    }

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Compact_CompactionCapableClient_CountsComeFromTheTranscript(bool automatic)
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install, "--fork-before-compact", "off");
        await session.InitializeAsync(CompactionCapable());
        string sessionId = await session.NewSessionAsync();
        if (automatic)
        {
            session.Api.ReportedInputTokens = 990_000;
        }

        await session.PromptAsync(sessionId, "Say hello");
        int from = session.Host.MessageCount;
        await session.PromptAsync(sessionId, automatic ? "This turn compacts first" : "/compact");

        // The wire carries no counts for such a client...
        var updates = session.Updates(sessionId).Where(u => u.GetProperty("sessionUpdate").GetString() == "compaction_update").ToList();
        Assert.NotEmpty(updates);
        Assert.DoesNotContain(session.Updates(sessionId), u => u.TryGetProperty("rawOutput", out JsonElement r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("preTokens", out _));

        // ...but the host tells it anyway, with the agent's own numbers from the transcript.
        JsonElement notification = await WaitForCompactionNotificationAsync(session, from);
        Assert.Equal(automatic ? "auto" : "manual", notification.GetProperty("trigger").GetString());
        long preTokens = notification.GetProperty("preTokens").GetInt64();
        Assert.True(preTokens > 0);
        if (automatic)
        {
            Assert.InRange(preTokens, 990_000, 1_000_000);
        }

        // Where the host already knew the facts when the agent's terminal update passed, they rode along in _meta.acphost.
        // (With agent 0.100.0 the transcript line is usually flushed just after those updates, so this is seldom the case.)
        foreach (JsonElement update in updates.Where(u => u.TryGetProperty("_meta", out JsonElement m) && m.TryGetProperty("acphost", out _)))
        {
            Assert.Equal(preTokens, update.GetProperty("_meta").GetProperty("acphost").GetProperty("preTokens").GetInt64());
        }

        JsonElement record = await SingleLedgerRecordAfterExitAsync(session);
        Assert.Equal(preTokens, record.GetProperty("preTokens").GetInt64());
        Assert.Equal("compaction_update", record.GetProperty("source").GetString());
        Assert.Single(CompactLogLines(session.Host.Stderr));
    }

    private static async Task<JsonElement> WaitForCompactionNotificationAsync(RealAgentSession session, int from)
    {
        JsonElement message = await session.Host.WaitForAsync(
            m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction",
            TimeSpan.FromSeconds(30),
            from);
        return message.GetProperty("params");
    }

    /// <summary>Closes the host, then reads its ledger through the CLI the way a user would.</summary>
    private static async Task<JsonElement> SingleLedgerRecordAfterExitAsync(RealAgentSession session)
    {
        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["compactions", "--data-dir", session.DataDir, "--json"], environment: null, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, stderr);
        JsonElement records = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(JsonValueKind.Array, records.ValueKind);
        JsonElement record = Assert.Single(records.EnumerateArray());
        Assert.Equal(
            ["at", "contextWindow", "durationMs", "flattened", "id", "postTokens", "preTokens", "sessionId", "source", "trigger"],
            record.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        return record.Clone();
    }

    private static IEnumerable<string> CompactLogLines(string stderr) =>
        stderr.Split('\n').Where(line => line.Contains("Compact boundary:", StringComparison.Ordinal));
}
