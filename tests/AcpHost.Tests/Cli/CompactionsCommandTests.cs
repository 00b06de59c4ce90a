using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Compaction;

using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Cli;

public sealed class CompactionsCommandTests : IDisposable
{
    private const int Timeout = 15_000;

    private static readonly DateTimeOffset LongAgo = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-compactions-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        InProcessCli.RunAsync(["compactions", "--data-dir", _dataDir, .. arguments]);

    private async Task SeedAsync()
    {
        var ledger = new CompactionLedger(_dataDir);
        await ledger.AppendAsync(
            new CompactionRecord
            {
                Id = "cmp-old",
                SessionId = "s-1",
                Trigger = "auto",
                PreTokens = 154_321,
                ContextWindow = 200_000,
                At = LongAgo,
                Source = CompactionSources.ToolCall,
                BoundaryUuid = "b-1",
            },
            CancellationToken.None);
        await ledger.AppendAsync(
            new CompactionRecord
            {
                Id = "cmp-new",
                SessionId = "s-2",
                Trigger = "manual",
                PreTokens = 98_765,
                PostTokens = 4_321,
                DurationMs = 12_345,
                At = DateTimeOffset.UtcNow.AddMinutes(-5),
                Source = CompactionSources.CompactionUpdate,
            },
            CancellationToken.None);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_PrintsExactlyTheTenFieldsWithNulls()
    {
        await SeedAsync();

        (int exitCode, string stdout, string stderr) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        JsonElement[] items = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        string[] expected = ["sessionId", "trigger", "preTokens", "postTokens", "durationMs", "contextWindow", "at", "source", "id", "flattened"];
        Assert.All(items, item => Assert.Equal(expected, item.EnumerateObject().Select(property => property.Name)));
        JsonElement old = items[0];
        Assert.Equal("cmp-old", old.GetProperty("id").GetString());
        Assert.Equal("s-1", old.GetProperty("sessionId").GetString());
        Assert.Equal(154_321, old.GetProperty("preTokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, old.GetProperty("postTokens").ValueKind);
        Assert.Equal(JsonValueKind.Null, old.GetProperty("durationMs").ValueKind);
        Assert.Equal(200_000, old.GetProperty("contextWindow").GetInt64());
        Assert.Equal("2026-03-01T09:00:00Z", old.GetProperty("at").GetString());
        Assert.Equal("tool_call", old.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, old.GetProperty("flattened").ValueKind);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_FlattenedAddedByALaterLine_IsFoldedIntoTheRecord()
    {
        await SeedAsync();
        var ledger = new CompactionLedger(_dataDir);
        CompactionRecord old = ledger.ReadAll().Single(r => r.Id == "cmp-old");
        FlattenedKind none = FlattenedKind.None;
        var flattened = new FlattenedSpecifics
        {
            Files = new FlattenedKind { Seen = 3, Dropped = 1, Items = [new FlattenedItem { Name = "/w/src/a.cs", Uses = 2 }] },
            Commands = none,
            Urls = none,
            ToolErrors = none,
            Summary = FlattenedSpecifics.Marked,
            Transcript = "/c/s-1.jsonl",
            FromLine = 1,
            ToLine = 40,
        };
        await ledger.AppendAsync(old with { Flattened = flattened }, CancellationToken.None);

        (int exitCode, string stdout, _) = await RunAsync("--session", "s-1", "--json");

        Assert.Equal(0, exitCode);
        JsonElement shown = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray()).GetProperty("flattened");
        Assert.Equal(["files", "commands", "urls", "toolErrors", "summary", "transcript", "fromLine", "toLine"], shown.EnumerateObject().Select(p => p.Name));
        JsonElement files = shown.GetProperty("files");
        Assert.Equal((3, 1), (files.GetProperty("seen").GetInt32(), files.GetProperty("dropped").GetInt32()));
        Assert.Equal("/w/src/a.cs", files.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(40, shown.GetProperty("toLine").GetInt64());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Session_ShowsOnlyThatSession()
    {
        await SeedAsync();

        (int exitCode, string stdout, _) = await RunAsync("--session", "s-2", "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(["cmp-new"], JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(item => item.GetProperty("id").GetString()));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("30m")]
    [InlineData("1d")]
    [InlineData("2026-03-01T09:00:01")]
    [InlineData("2026-03-01T10:00:01+01:00")]
    public async Task Invoke_Since_ShowsOnlyLaterCompactions(string since)
    {
        await SeedAsync();

        (int exitCode, string stdout, _) = await RunAsync("--since", since, "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(["cmp-new"], JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(item => item.GetProperty("id").GetString()));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_SinceAtTheFirstCompaction_IncludesIt()
    {
        await SeedAsync();

        (_, string stdout, _) = await RunAsync("--since", "2026-03-01", "--json");

        Assert.Equal(2, JsonDocument.Parse(stdout).RootElement.GetArrayLength());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Table_ShowsTheNumbersAndATotal()
    {
        await SeedAsync();

        (int exitCode, string stdout, string stderr) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("at (UTC)", lines[0], StringComparison.Ordinal);
        Assert.Contains("pre-tokens", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("2026-03-01 09:00:00  s-1", lines[1], StringComparison.Ordinal);
        Assert.Contains("154,321", lines[1], StringComparison.Ordinal);
        Assert.Contains("200,000", lines[1], StringComparison.Ordinal);
        Assert.Contains("–", lines[1], StringComparison.Ordinal);
        Assert.Contains("98,765", lines[2], StringComparison.Ordinal);
        Assert.Contains("4,321", lines[2], StringComparison.Ordinal);
        Assert.Contains("12.3 s", lines[2], StringComparison.Ordinal);
        Assert.Equal("2 compactions (1 auto, 1 manual), 253,086 tokens flattened", lines[3]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_IdleCompaction_ShownAsItsOwnKindEvenAfterTheTranscriptsManual()
    {
        await SeedAsync();
        var ledger = new CompactionLedger(_dataDir);
        var idle = new CompactionRecord { Id = "cmp-idle", SessionId = "s-3", Trigger = "idle", PreTokens = 151_000, PostTokens = 2_600, At = DateTimeOffset.UtcNow, Source = CompactionSources.ToolCall };
        await ledger.AppendAsync(idle, CancellationToken.None);

        // The transcript's line for the same boundary, folded in later, says manual: it adds its uuid, not its trigger.
        await ledger.AppendAsync(idle with { Trigger = "manual", BoundaryUuid = "b-3" }, CancellationToken.None);

        (_, string json, _) = await RunAsync("--json", "--session", "s-3");
        (_, string table, _) = await RunAsync();

        Assert.Equal("idle", Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray()).GetProperty("trigger").GetString());
        string[] lines = table.TrimEnd('\n').Split('\n');
        Assert.Contains("  idle  ", lines[3], StringComparison.Ordinal);
        Assert.Equal("3 compactions (1 auto, 1 manual, 1 idle), 404,086 tokens flattened", lines[4]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_EmptyLedger_PrintsAFriendlyLine()
    {
        (int exitCode, string stdout, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.StartsWith("No compactions recorded yet", stdout, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_EmptyLedgerAsJson_PrintsAnEmptyArray()
    {
        (int exitCode, string stdout, _) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(0, JsonDocument.Parse(stdout).RootElement.GetArrayLength());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_NothingMatches_SaysSo()
    {
        await SeedAsync();

        (int exitCode, string stdout, _) = await RunAsync("--session", "nobody");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("No compactions match (2 in the ledger)", stdout, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("yesterday")]
    [InlineData("12x")]
    [InlineData("-5m")]
    public async Task Invoke_BadSince_Exits2WithAMessage(string since)
    {
        (int exitCode, string stdout, string stderr) = await RunAsync("--since", since);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains($"--since '{since}'", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_TornLine_WarnsOnStderrAndListsTheRest()
    {
        await SeedAsync();
        await File.AppendAllTextAsync(new CompactionLedger(_dataDir).FilePath, """{"id":"cmp-torn",""");

        (int exitCode, string stdout, string stderr) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(2, JsonDocument.Parse(stdout).RootElement.GetArrayLength());
        Assert.Contains("skipped 1 unreadable line", stderr, StringComparison.Ordinal);
    }
}
