using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The agent's own idle compaction (0.101.0): a session left idle with a one-hour prompt cache and enough context is
/// compacted by the agent itself, no prompt on the wire. Made to happen in seconds: the agent's delay and token floor
/// come from its environment, and the fake Messages API reports the one-hour cache that arms it.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class IdleCompactionTests(AgentInstall install)
{
    private const int Timeout = 240_000;
    internal const long ContextTokens = 150_000;

    internal static readonly Dictionary<string, string> IdleSoon = new()
    {
        ["CLAUDE_AGENT_ACP_IDLE_COMPACT_DELAY_MS"] = "2000",
        ["CLAUDE_CODE_IDLE_COMPACT_MIN_TOKENS"] = "100000",
    };

    [AgentVersionFact("0.101.0", Timeout = Timeout)]
    public async Task IdleCompaction_PlainClient_OneIdleRecordAndANotificationOutsideAnyTurn()
    {
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, IdleSoon);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        int afterTurn = await OneTurnThenIdleAsync(session, sessionId);

        // The host tells the client although no turn is running: the only prompt was answered before.
        JsonElement notification = await WaitForCompactionNotificationAsync(session, afterTurn);
        JsonElement rawOutput = session.Updates(sessionId)
            .Last(u => u.TryGetProperty("rawOutput", out JsonElement r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("preTokens", out _))
            .GetProperty("rawOutput");
        Assert.Equal("idle", rawOutput.GetProperty("trigger").GetString());
        Assert.Equal("idle", notification.GetProperty("trigger").GetString());
        Assert.Equal(rawOutput.GetProperty("preTokens").GetInt64(), notification.GetProperty("preTokens").GetInt64());
        Assert.Equal(rawOutput.GetProperty("postTokens").GetInt64(), notification.GetProperty("postTokens").GetInt64());
        Assert.InRange(notification.GetProperty("preTokens").GetInt64(), ContextTokens, 2 * ContextTokens);

        JsonElement record = await SingleRecordAfterExitAsync(session, sessionId);
        Assert.Equal("tool_call", record.GetProperty("source").GetString());
        Assert.Equal(notification.GetProperty("preTokens").GetInt64(), record.GetProperty("preTokens").GetInt64());
        Assert.Equal(notification.GetProperty("postTokens").GetInt64(), record.GetProperty("postTokens").GetInt64());
    }

    [AgentVersionFact("0.101.0", Timeout = Timeout)]
    public async Task IdleCompaction_CompactionCapableClient_RecordedIdleWithTheTranscriptsCounts()
    {
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, IdleSoon);
        await session.InitializeAsync(new JsonObject
        {
            ["fs"] = new JsonObject { ["readTextFile"] = false, ["writeTextFile"] = false },
            ["terminal"] = false,
            ["session"] = new JsonObject { ["compaction"] = new JsonObject() },
        });
        string sessionId = await session.NewSessionAsync();
        int afterTurn = await OneTurnThenIdleAsync(session, sessionId);

        // Such a client's wire names no trigger and no counts: the host tells idle from /compact by the turn it is not
        // in, and takes the counts from the transcript.
        JsonElement notification = await WaitForCompactionNotificationAsync(session, afterTurn);
        Assert.Contains(session.Updates(sessionId), u => u.GetProperty("sessionUpdate").GetString() == "compaction_update");
        Assert.Equal("idle", notification.GetProperty("trigger").GetString());
        Assert.InRange(notification.GetProperty("preTokens").GetInt64(), ContextTokens, 2 * ContextTokens);

        JsonElement record = await SingleRecordAfterExitAsync(session, sessionId);
        Assert.Equal("compaction_update", record.GetProperty("source").GetString());
        Assert.Equal(notification.GetProperty("preTokens").GetInt64(), record.GetProperty("preTokens").GetInt64());
    }

    [AgentVersionFact("0.101.0", Timeout = Timeout)]
    public async Task IdleCompaction_ForkBeforeCompact_TheForkComesAtTheTurnsEndBeforeTheIdleCompaction()
    {
        // 150,000 of a 1,000,000-token window is 15 %: above a 10 % mark, so the turn that fills the context crosses it.
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, IdleSoon, "--fork-before-compact", "10");
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        int from = session.Host.MessageCount;
        int afterTurn = await OneTurnThenIdleAsync(session, sessionId);

        // No prompt follows: the fork must not wait for one, since the agent compacts the idle session by itself.
        JsonElement notification = await WaitForCompactionNotificationAsync(session, afterTurn);
        Assert.Equal("idle", notification.GetProperty("trigger").GetString());
        Assert.Equal(sessionId, notification.GetProperty("sessionId").GetString());
        List<JsonElement> messages = [.. session.Host.Messages.Skip(from)];
        int forkedAt = messages.FindIndex(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked");
        int compactedAt = messages.FindIndex(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction");
        Assert.True(forkedAt >= 0 && forkedAt < compactedAt, $"the fork (message {forkedAt}) must come before the idle compaction (message {compactedAt})");
        JsonElement forked = messages[forkedAt].GetProperty("params");
        Assert.Equal("pre-compact", forked.GetProperty("reason").GetString());
        Assert.Equal(sessionId, forked.GetProperty("parentSessionId").GetString());

        // The fork holds the history as it was before the agent flattened it.
        string child = forked.GetProperty("sessionId").GetString()!;
        string forkTranscript = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(session.ClaudeConfigDir, "projects"), child + ".jsonl", SearchOption.AllDirectories)));
        Assert.DoesNotContain("compact_boundary", forkTranscript, StringComparison.Ordinal);
        Assert.Contains("Fill the context, then leave me idle", forkTranscript, StringComparison.Ordinal);
    }

    /// <summary>
    /// One turn whose answer fills the context and writes a one-hour cache; returns the message count once its
    /// response is in, after which the client sends nothing.
    /// </summary>
    private static async Task<int> OneTurnThenIdleAsync(RealAgentSession session, string sessionId)
    {
        session.Api.ReportedInputTokens = ContextTokens;
        session.Api.OneHourCacheTokens = 4_000;
        JsonElement response = await session.PromptAsync(sessionId, "Fill the context, then leave me idle");
        Assert.Equal("end_turn", RealAgentSession.Result(response).GetProperty("stopReason").GetString());
        return session.Host.MessageCount;
    }

    private static async Task<JsonElement> WaitForCompactionNotificationAsync(RealAgentSession session, int from)
    {
        JsonElement message = await session.Host.WaitForAsync(
            m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction",
            TimeSpan.FromSeconds(90),
            from);
        return message.GetProperty("params");
    }

    /// <summary>
    /// Closes the host; then the ledger holds one record, trigger idle, although the transcript's boundary for it says
    /// manual and was read into the same record (its uuid is in every ledger line of that record).
    /// </summary>
    private static async Task<JsonElement> SingleRecordAfterExitAsync(RealAgentSession session, string sessionId)
    {
        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        string transcript = Assert.Single(Directory.GetFiles(Path.Combine(session.ClaudeConfigDir, "projects"), sessionId + ".jsonl", SearchOption.AllDirectories));
        JsonElement boundary = Assert.Single((await File.ReadAllLinesAsync(transcript))
            .Where(line => line.Contains("\"compact_boundary\"", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement));
        Assert.Equal("manual", boundary.GetProperty("compactMetadata").GetProperty("trigger").GetString());

        List<JsonElement> lines = [.. (await File.ReadAllLinesAsync(Path.Combine(session.DataDir, "ledger", "compactions.jsonl")))
            .Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Single(lines.Select(line => line.GetProperty("id").GetString()).Distinct());
        Assert.All(lines, line => Assert.Equal("idle", line.GetProperty("trigger").GetString()));
        Assert.Contains(lines, line => line.TryGetProperty("boundaryUuid", out JsonElement uuid) && uuid.GetString() == boundary.GetProperty("uuid").GetString());

        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["compactions", "--data-dir", session.DataDir, "--json"], environment: null, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, stderr);
        JsonElement record = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
        Assert.Equal(sessionId, record.GetProperty("sessionId").GetString());
        Assert.Equal("idle", record.GetProperty("trigger").GetString());
        Assert.Single(session.Host.Stderr.Split('\n'), line => line.Contains("Compact boundary:", StringComparison.Ordinal));

        // The post-mortem, which reads the transcript's manual, says idle once given the host's ledger.
        var scan = await HostCommand.RunAsync(["scan", Path.Combine(session.ClaudeConfigDir, "projects"), "--data-dir", session.DataDir, "--json"], environment: null, TimeSpan.FromSeconds(30));
        Assert.True(scan.ExitCode == 0, scan.Stderr);
        JsonElement scanned = JsonDocument.Parse(scan.Stdout).RootElement;
        Assert.Equal("idle", Assert.Single(scanned.GetProperty("rows").EnumerateArray()).GetProperty("trigger").GetString());
        Assert.Equal(1, Assert.Single(scanned.GetProperty("summary").EnumerateArray()).GetProperty("idle").GetInt32());
        Assert.Contains("Compact boundary: trigger=idle preTokens=" + record.GetProperty("preTokens").GetInt64(), session.Host.Stderr, StringComparison.Ordinal);
        return record.Clone();
    }
}
