using System.Text;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using static AcpHost.Tests.PostMortem.TranscriptLines;

namespace AcpHost.Tests.PostMortem;

public sealed class ScanCommandTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _config = Directory.CreateTempSubdirectory("acphost-scan-cmd-").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private string Projects => Path.Combine(_config, "projects");

    private void Seed()
    {
        string folder = Path.Combine(Projects, "-work-app");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "s1.jsonl"), string.Join('\n',
            Assistant("s1", "/work/app", T0, 150_000),
            Boundary("s1", "/work/app", T0.AddMinutes(1), "auto", 150_110, uuid: "b-1"),
            OldBoundary("s1", T0.AddMinutes(9), "manual", 30_000)) + "\n", new UTF8Encoding(false));
    }

    // The environment points CLAUDE_CONFIG_DIR at the test's folder, so the default DIR is its projects folder.
    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        InProcessCli.RunAsync(["scan", .. arguments], name => name == "CLAUDE_CONFIG_DIR" ? _config : null);

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_RowsAndSummaryWithTheDocumentedFields()
    {
        Seed();

        (int exitCode, string stdout, string stderr) = await RunAsync("--json");

        Assert.True(exitCode == 0, stderr);
        JsonElement root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["rows", "summary", "scanned"], root.EnumerateObject().Select(p => p.Name));
        JsonElement[] rows = [.. root.GetProperty("rows").EnumerateArray()];
        Assert.Equal(2, rows.Length);
        Assert.Equal(
            ["project", "sessionId", "at", "trigger", "preTokens", "postTokens", "durationMs", "boundaryUuid", "file", "flattened"],
            rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("/work/app", rows[0].GetProperty("project").GetString());
        Assert.Equal("2026-03-01T09:01:00Z", rows[0].GetProperty("at").GetString());
        Assert.Equal(150_110, rows[0].GetProperty("preTokens").GetInt64());
        Assert.Equal("b-1", rows[0].GetProperty("boundaryUuid").GetString());
        Assert.Equal("manual", rows[1].GetProperty("trigger").GetString());
        JsonElement summary = Assert.Single(root.GetProperty("summary").EnumerateArray());
        Assert.Equal(
            ["project", "sessions", "compactions", "auto", "manual", "idle", "medianPreTokens", "maxPreTokens", "totalFlattened"],
            summary.EnumerateObject().Select(p => p.Name));
        Assert.Equal(180_110, summary.GetProperty("totalFlattened").GetInt64());
        Assert.Equal(90_055, summary.GetProperty("medianPreTokens").GetInt64());
        Assert.Equal(1, root.GetProperty("scanned").GetProperty("files").GetInt32());
        Assert.Contains("scanned 1 transcripts", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Table_ListsCompactionsThenProjectsThenTotals()
    {
        Seed();

        (int exitCode, string stdout, _) = await RunAsync(Projects);

        Assert.Equal(0, exitCode);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("time (UTC)", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("2026-03-01 09:01:00  /work/app  s1", lines[1], StringComparison.Ordinal);
        Assert.Contains("150,110", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("project", StringComparison.Ordinal) && line.Contains("flattened", StringComparison.Ordinal));
        Assert.Equal("2 compactions in 1 sessions, 180,110 tokens flattened", lines[^1]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_DataDirWithAnIdleRecord_TheTranscriptsManualIsShownIdle()
    {
        Seed();

        // A host relayed the agent's idle compaction and recorded it so; the transcript knows it only as manual.
        string dataDir = Path.Combine(_config, "data");
        await new CompactionLedger(dataDir).AppendAsync(
            new CompactionRecord { Id = "cmp-1", SessionId = "s1", Trigger = "idle", PreTokens = 30_000, At = T0, Source = CompactionSources.ToolCall },
            CancellationToken.None);

        (int exitCode, string stdout, string stderr) = await RunAsync("--json", "--data-dir", dataDir);
        (_, string plain, _) = await RunAsync("--json");
        (_, string table, _) = await RunAsync("--data-dir", dataDir);

        Assert.True(exitCode == 0, stderr);
        JsonElement root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["auto", "idle"], root.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("trigger").GetString()));
        JsonElement summary = Assert.Single(root.GetProperty("summary").EnumerateArray());
        Assert.Equal((1, 0, 1), (summary.GetProperty("auto").GetInt32(), summary.GetProperty("manual").GetInt32(), summary.GetProperty("idle").GetInt32()));
        Assert.Equal(1, Assert.Single(JsonDocument.Parse(plain).RootElement.GetProperty("summary").EnumerateArray()).GetProperty("manual").GetInt32());
        string[] lines = table.TrimEnd('\n').Split('\n');
        Assert.Contains(lines, line => line.StartsWith("project", StringComparison.Ordinal) && line.Contains(" idle ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("  s1  ", StringComparison.Ordinal) && line.Contains("  idle  ", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_SinceAndProject_Filter()
    {
        Seed();

        (_, string stdout, _) = await RunAsync("--since", "2026-03-01T09:05", "--project", "APP", "--json");
        (_, string none, _) = await RunAsync("--project", "elsewhere", "--json");

        Assert.Equal([30_000L], JsonDocument.Parse(stdout).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("preTokens").GetInt64()));
        Assert.Equal(0, JsonDocument.Parse(none).RootElement.GetProperty("summary").GetArrayLength());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_BadSince_IsAUsageError()
    {
        (int exitCode, string stdout, string stderr) = await RunAsync("--since", "yesterday-ish");

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("yesterday-ish", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_NoSuchFolder_ExitsOneAndSaysSo()
    {
        (int exitCode, string stdout, string stderr) = await RunAsync(Path.Combine(_config, "missing"));

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("missing: no such file or folder", stderr, StringComparison.Ordinal);
    }
}
