using System.Text;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Features.Sessions;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using AcpHost.Tests.Usage;
using static AcpHost.Tests.PostMortem.TranscriptLines;

namespace AcpHost.Tests.PostMortem;

public sealed class ReportCommandTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _root = Directory.CreateTempSubdirectory("acphost-report-cmd-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Projects => Path.Combine(_root, "projects");

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        InProcessCli.RunAsync(["report", Projects, .. arguments], _ => null);

    private void Seed(string cwd)
    {
        string folder = Path.Combine(Projects, "-work-app");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "s1.jsonl"), string.Join('\n',
            Assistant("s1", cwd, T0, 150_000),
            Boundary("s1", cwd, T0.AddMinutes(1), "auto", 150_110, uuid: "b-1"),
            Assistant("s1", cwd, T0.AddMinutes(2), 9_000),
            Boundary("s1", cwd, T0.AddDays(1), "manual", 60_000)) + "\n", new UTF8Encoding(false));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_WritesOneSelfContainedPageAndPrintsItsPath()
    {
        Seed("/work/app");
        string page = Path.Combine(_root, "out", "..", "report.html");

        (int exitCode, string stdout, string stderr) = await RunAsync("--out", page);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(Path.GetFullPath(page), stdout.Trim());
        string html = await File.ReadAllTextAsync(Path.GetFullPath(page));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (string chart in new[] { "compactions", "fill", "per-day" })
        {
            Assert.Contains($"data-chart=\"{chart}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<circle class=\"auto\"", html, StringComparison.Ordinal);
        Assert.Contains("<circle class=\"manual\"", html, StringComparison.Ordinal);
        Assert.Contains("<polyline class=\"fill-line\"", html, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"auto\"", html, StringComparison.Ordinal);
        Assert.Contains("150,110", html, StringComparison.Ordinal);

        // Self-contained: nothing to fetch, nothing to run.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_RealAgentTranscript_AFoldingTableOfWhatTheSummaryNoLongerNames()
    {
        string folder = Path.Combine(Projects, "-tmp-cap24-work");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(AgentSamples.Folder, "transcript-tools-compact.jsonl"), Path.Combine(folder, "7ee5b5c9-10d6-4b21-bbb9-b00788aec4db.jsonl"));
        string page = Path.Combine(_root, "report.html");

        (int exitCode, _, string stderr) = await RunAsync("--out", page);

        Assert.True(exitCode == 0, stderr);
        string html = await File.ReadAllTextAsync(page);
        int section = html.IndexOf("no longer names (a heuristic", StringComparison.Ordinal);
        Assert.True(section > 0, "the section is missing");
        string flattened = html[section..];
        Assert.Contains("<details data-flattened=\"", flattened, StringComparison.Ordinal);
        Assert.Contains("2 of 7 no longer named</summary>", flattened, StringComparison.Ordinal);
        Assert.Contains("The summary no longer names 1 of 5 files you worked with: missing.txt; 1 of 1 failed tool: Read (1 error)", flattened, StringComparison.Ordinal);
        Assert.Contains("<tr><td>files</td><td>/tmp/cap24/work/missing.txt</td><td>1</td></tr>", flattened, StringComparison.Ordinal);
        Assert.Contains("<tr><td>toolErrors</td><td>Read</td><td>1</td></tr>", flattened, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_ProjectNamesAreEscaped()
    {
        Seed("/work/<script>alert(\"x\")</script>&'");
        string page = Path.Combine(_root, "report.html");

        (int exitCode, _, _) = await RunAsync("--out", page);

        Assert.Equal(0, exitCode);
        string html = await File.ReadAllTextAsync(page);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_DataDir_MarksRecordedCompactionsAndListsForks()
    {
        Seed("/work/app");
        string dataDir = Path.Combine(_root, "data");
        await new CompactionLedger(dataDir).AppendAsync(
            new CompactionRecord { Id = "cmp-1", SessionId = "s1", Trigger = "auto", PreTokens = 150_110, At = T0, Source = CompactionSources.ToolCall, BoundaryUuid = "b-1" },
            CancellationToken.None);
        await new CompactionLedger(dataDir).AppendAsync(
            new CompactionRecord { Id = "cmp-2", SessionId = "s-gone", Trigger = "manual", PreTokens = 777_777, At = T0, Source = CompactionSources.ToolCall },
            CancellationToken.None);
        await new SessionLedger(dataDir).AppendAsync(
            new SessionRecord { SessionId = "s-fork", ParentSessionId = "s1", ForkReason = "pre-compact", Cwd = "/work/app", CreatedAt = T0 },
            CancellationToken.None);
        string page = Path.Combine(_root, "report.html");

        (int exitCode, _, string stderr) = await RunAsync("--out", page, "--data-dir", dataDir);

        Assert.True(exitCode == 0, stderr);
        string html = await File.ReadAllTextAsync(page);
        Assert.Contains("<th>host recorded</th>", html, StringComparison.Ordinal);
        Assert.Contains("1 of the compactions above were relayed by a host", html, StringComparison.Ordinal);
        Assert.Contains("777,777", html, StringComparison.Ordinal);
        Assert.Contains("<td>s-fork</td><td>s1</td><td>pre-compact</td>", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_DataDirWithAnIdleRecord_IdleIsItsOwnKindInChartsLegendsAndTables()
    {
        Seed("/work/app");
        string dataDir = Path.Combine(_root, "data");
        await new CompactionLedger(dataDir).AppendAsync(
            new CompactionRecord { Id = "cmp-1", SessionId = "s1", Trigger = "idle", PreTokens = 60_000, At = T0.AddDays(1), Source = CompactionSources.CompactionUpdate },
            CancellationToken.None);
        string page = Path.Combine(_root, "report.html");

        (int exitCode, _, string stderr) = await RunAsync("--out", page, "--data-dir", dataDir);

        Assert.True(exitCode == 0, stderr);
        string html = await File.ReadAllTextAsync(page);
        Assert.Contains("<circle class=\"idle\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<circle class=\"manual\"", html, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"idle\"", html, StringComparison.Ordinal);
        Assert.Contains(">idle (1)</text>", html, StringComparison.Ordinal);
        Assert.Contains(">idle</text>", html, StringComparison.Ordinal);
        Assert.Contains("<th>idle</th>", html, StringComparison.Ordinal);
        Assert.Contains("2 compactions (1 automatic, 1 idle, 0 manual or unknown)", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_CompactionThenTwoForks_PageAndLedgerCountItOnce()
    {
        // One /compact in s1, then two forks whose transcripts copy its boundary (new uuid, forkedFrom).
        string folder = Path.Combine(Projects, "-work-app");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "s1.jsonl"), Boundary("s1", "/work/app", T0, "manual", 1_010, uuid: "b-1") + "\n", new UTF8Encoding(false));
        foreach (string fork in new[] { "f1", "f2" })
        {
            File.WriteAllText(Path.Combine(folder, fork + ".jsonl"), string.Join('\n',
                ForkedBoundary(fork, "s1", "b-1", "/work/app", T0.AddMinutes(5), "manual", 1_010),
                Assistant(fork, "/work/app", T0.AddMinutes(6), 3_000)) + "\n", new UTF8Encoding(false));
        }

        string dataDir = Path.Combine(_root, "data");
        await new CompactionLedger(dataDir).AppendAsync(
            new CompactionRecord { Id = "cmp-1", SessionId = "s1", Trigger = "manual", PreTokens = 1_010, At = T0, Source = CompactionSources.ToolCall, BoundaryUuid = "b-1" },
            CancellationToken.None);
        string page = Path.Combine(_root, "report.html");

        (int exitCode, _, string stderr) = await RunAsync("--out", page, "--data-dir", dataDir);

        Assert.True(exitCode == 0, stderr);
        string html = await File.ReadAllTextAsync(page);
        Assert.Contains("1 compactions (0 automatic, 0 idle, 1 manual or unknown) in 3 sessions across 1 projects: 1,010 tokens flattened.", html, StringComparison.Ordinal);
        Assert.Contains("1 compactions and 0 sessions recorded; 1 of the compactions above were relayed by a host.", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_ColdRequestsAndAFork_MarkedOnTheContextChartPricedPerDayAndListed()
    {
        string folder = Path.Combine(Projects, "-work-app");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "s1.jsonl"), string.Join('\n',
            UsageLines.Request("s1", T0, "m1", write5m: 100_000),
            UsageLines.Request("s1", T0.AddMinutes(1), "m2", write5m: 5_000, read: 100_010),
            UsageLines.Request("s1", T0.AddHours(2), "m3", write5m: 105_020)) + "\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(folder, "f1.jsonl"), UsageLines.Request("f1", T0.AddMinutes(1), "m2", write5m: 5_000, read: 100_010, forkedFrom: "s1") + "\n", new UTF8Encoding(false));
        string page = Path.Combine(_root, "report.html");

        (int exitCode, _, string stderr) = await RunAsync("--out", page);

        Assert.True(exitCode == 0, stderr);
        string html = await File.ReadAllTextAsync(page);
        Assert.Contains("data-chart=\"context\"", html, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"cold expired\"", html, StringComparison.Ordinal);
        Assert.Contains("<title>forked at 2026-03-01 09:01:00 UTC into f1</title>", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"cost-per-day\"", html, StringComparison.Ordinal);
        Assert.Contains("<title>2026-03-01: $0.53 of which cold</title>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2026-03-01 11:00:00</td><td>/work/app</td><td>s1</td><td>expired</td><td>1h 59m</td><td>105,030</td><td>105,020</td><td>$0.50</td>", html, StringComparison.Ordinal);
        Assert.Contains("3 model requests (0 by subagents) cost", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_NoTranscripts_StillDrawsAPageThatSaysSo()
    {
        Directory.CreateDirectory(Projects);
        string page = Path.Combine(_root, "empty.html");

        (int exitCode, _, _) = await RunAsync("--out", page);

        Assert.Equal(0, exitCode);
        Assert.Contains("No compactions with a time and a token count.", await File.ReadAllTextAsync(page), StringComparison.Ordinal);
    }
}
