using System.CommandLine;
using System.Text.Json;
using AcpHost.Cli;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Features.Sessions;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Cli;

public sealed class SessionsCommandTests : IDisposable
{
    private const int Timeout = 15_000;

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-sessions-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        InProcessCli.RunAsync(["sessions", "--data-dir", _dataDir, .. arguments]);

    // A root with two forks, one of which was forked again, and a second, later root. Added out of order on purpose;
    // the host's own compaction counts (9) are wrong on purpose: the compaction ledger says 2, 1 and 0.
    private async Task SeedFamilyAsync()
    {
        var sessions = new SessionLedger(_dataDir);
        SessionRecord[] family =
        [
            new() { SessionId = "s-grand", ParentSessionId = "s-fork-a", ForkReason = "client", Cwd = "/work/app/sub", CreatedAt = T0.AddHours(2) },
            new() { SessionId = "s-root", Cwd = "/work/app", CreatedAt = T0, UsedTokens = 150_000, ContextWindow = 200_000, Compactions = 9 },
            new() { SessionId = "s-fork-b", ParentSessionId = "s-root", ForkReason = "command", Cwd = "/work/app", CreatedAt = T0.AddHours(3) },
            new() { SessionId = "s-other", Cwd = "/tmp", CreatedAt = T0.AddMinutes(30), Compactions = 9 },
            new() { SessionId = "s-fork-a", ParentSessionId = "s-root", ForkReason = "pre-compact", Cwd = "/work/app", CreatedAt = T0.AddHours(1) },
            new() { SessionId = "s-grand", UsedTokens = 12_345, ContextWindow = 200_000 },
        ];
        foreach (SessionRecord session in family)
        {
            await sessions.AppendAsync(session, CancellationToken.None);
        }

        var compactions = new CompactionLedger(_dataDir);
        (string Id, string SessionId)[] compacted = [("cmp-1", "s-root"), ("cmp-2", "s-grand"), ("cmp-3", "s-root"), ("cmp-4", "s-gone")];
        foreach ((string id, string sessionId) in compacted)
        {
            await compactions.AppendAsync(new CompactionRecord { Id = id, SessionId = sessionId, At = T0, Source = CompactionSources.ToolCall }, CancellationToken.None);
        }

        // Learned again with more facts: still one compaction.
        await compactions.AppendAsync(new CompactionRecord { Id = "cmp-1", SessionId = "s-root", At = T0, Source = CompactionSources.Transcript, PostTokens = 9_000 }, CancellationToken.None);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_ParentWithTwoForksAndAGrandchild_DrawsTheTree()
    {
        await SeedFamilyAsync();

        (int exitCode, string stdout, string stderr) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        string[] expected =
        [
            "session        fork         created (UTC)        compactions              last fill  cwd",
            "s-root                      2026-03-01 09:00:00            2  150,000/200,000 (75%)  /work/app",
            "├─ s-fork-a    pre-compact  2026-03-01 10:00:00            0                      –  /work/app",
            "│  └─ s-grand  client       2026-03-01 11:00:00            1    12,345/200,000 (6%)  /work/app/sub",
            "└─ s-fork-b    command      2026-03-01 12:00:00            0                      –  /work/app",
            "s-other                     2026-03-01 09:30:00            0                      –  /tmp",
            "5 sessions (3 forks), 3 compactions",
        ];
        Assert.Equal(expected, stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_PrintsExactlyTheEightFieldsParentsBeforeForks()
    {
        await SeedFamilyAsync();

        (int exitCode, string stdout, string stderr) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        JsonElement[] items = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();
        string[] fields = ["sessionId", "parentSessionId", "forkReason", "cwd", "createdAt", "usedTokens", "contextWindow", "compactions"];
        Assert.All(items, item => Assert.Equal(fields, item.EnumerateObject().Select(property => property.Name)));
        Assert.Equal(["s-root", "s-fork-a", "s-grand", "s-fork-b", "s-other"], items.Select(item => item.GetProperty("sessionId").GetString()));

        JsonElement root = items[0];
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parentSessionId").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("forkReason").ValueKind);
        Assert.Equal("/work/app", root.GetProperty("cwd").GetString());
        Assert.Equal("2026-03-01T09:00:00Z", root.GetProperty("createdAt").GetString());
        Assert.Equal(150_000, root.GetProperty("usedTokens").GetInt64());
        Assert.Equal(200_000, root.GetProperty("contextWindow").GetInt64());

        JsonElement grandchild = items[2];
        Assert.Equal("s-fork-a", grandchild.GetProperty("parentSessionId").GetString());
        Assert.Equal("client", grandchild.GetProperty("forkReason").GetString());
        Assert.Equal(12_345, grandchild.GetProperty("usedTokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("usedTokens").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("contextWindow").ValueKind);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_CountsCompactionsFromTheCompactionLedgerNotTheSessionLedger()
    {
        await SeedFamilyAsync();

        (_, string stdout, _) = await RunAsync("--json");

        Dictionary<string, int> counts = JsonDocument.Parse(stdout).RootElement.EnumerateArray()
            .ToDictionary(item => item.GetProperty("sessionId").GetString()!, item => item.GetProperty("compactions").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["s-root"] = 2, ["s-fork-a"] = 0, ["s-grand"] = 1, ["s-fork-b"] = 0, ["s-other"] = 0 }, counts);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_ForkOfAnUnrecordedParent_IsARootThatNamesItsParent()
    {
        var sessions = new SessionLedger(_dataDir);
        await sessions.AppendAsync(new SessionRecord { SessionId = "s-orphan", ParentSessionId = "s-gone", ForkReason = "client", CreatedAt = T0 }, CancellationToken.None);
        await sessions.AppendAsync(new SessionRecord { SessionId = "s-child", ParentSessionId = "s-orphan", CreatedAt = T0.AddMinutes(1) }, CancellationToken.None);

        (int exitCode, string stdout, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("s-orphan    client, from s-gone  2026-03-01 09:00:00", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("└─ s-child  –                    2026-03-01 09:01:00", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("  –", lines[2], StringComparison.Ordinal);
        Assert.Equal("2 sessions (2 forks), 0 compactions", lines[3]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_ParentsFormALoop_ListsEverySessionOnce()
    {
        var sessions = new SessionLedger(_dataDir);
        await sessions.AppendAsync(new SessionRecord { SessionId = "s-a", ParentSessionId = "s-b", CreatedAt = T0 }, CancellationToken.None);
        await sessions.AppendAsync(new SessionRecord { SessionId = "s-b", ParentSessionId = "s-a", CreatedAt = T0.AddMinutes(1) }, CancellationToken.None);
        await sessions.AppendAsync(new SessionRecord { SessionId = "s-self", ParentSessionId = "s-self", CreatedAt = T0.AddMinutes(2) }, CancellationToken.None);

        (int exitCode, string stdout, _) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(["s-self", "s-a", "s-b"], JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(item => item.GetProperty("sessionId").GetString()));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_EmptyLedger_PrintsAFriendlyLine()
    {
        (int exitCode, string stdout, string stderr) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        Assert.StartsWith("No sessions recorded yet (ledger: ", stdout, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_EmptyLedgerAsJson_PrintsAnEmptyArray()
    {
        (int exitCode, string stdout, _) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(0, JsonDocument.Parse(stdout).RootElement.GetArrayLength());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_TornLines_WarnOnStderrForEachLedgerAndListTheRest()
    {
        await SeedFamilyAsync();
        await File.AppendAllTextAsync(new SessionLedger(_dataDir).FilePath, """{"sessionId":"s-torn",""");
        await File.AppendAllTextAsync(new CompactionLedger(_dataDir).FilePath, """{"id":"cmp-torn",""");

        (int exitCode, string stdout, string stderr) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(5, JsonDocument.Parse(stdout).RootElement.GetArrayLength());
        Assert.Contains("skipped 1 unreadable line(s) in " + new SessionLedger(_dataDir).FilePath, stderr, StringComparison.Ordinal);
        Assert.Contains("skipped 1 unreadable line(s) in " + new CompactionLedger(_dataDir).FilePath, stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("sessions.jsonl")]
    [InlineData("compactions.jsonl")]
    public async Task Invoke_UnreadableLedger_Exits1NamingTheFile(string file)
    {
        // A folder where the file should be: unreadable for any user, root included.
        string path = Path.Combine(_dataDir, "ledger", file);
        Directory.CreateDirectory(path);

        (int exitCode, string stdout, string stderr) = await RunAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith($"acphost: cannot read the ledger {path}: ", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_BadLogLevel_Exits2WithAMessage()
    {
        (int exitCode, string stdout, string stderr) = await RunAsync("--log-level", "loud");

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("--log-level 'loud'", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Parse_UnknownOption_IsAUsageError()
    {
        ParseResult parse = AcpHostCommandLine.Create().Parse(["sessions", "--session", "s-1"]);

        Assert.NotEmpty(parse.Errors);
        await Task.CompletedTask;
    }
}
