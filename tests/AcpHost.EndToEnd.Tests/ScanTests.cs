using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// <c>acphost scan</c> on the transcripts the real agent wrote, and <c>acphost report</c>'s page as headless Chromium
/// (Debian's <c>chromium</c> package, /usr/bin/chromium) renders it.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class ScanTests(AgentInstall install, ITestOutputHelper output)
{
    private const int Timeout = 240_000;

    private const string Chromium = "/usr/bin/chromium";

    private static readonly DateTimeOffset T0 = new(2026, 2, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = Timeout)]
    public async Task Scan_AfterManualCompact_FindsItWithTheAgentsPreTokens()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Say hello");
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "/compact")).GetProperty("stopReason").GetString());
        long preTokens = session.Updates(sessionId)
            .Last(u => u.TryGetProperty("rawOutput", out JsonElement r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("preTokens", out _))
            .GetProperty("rawOutput").GetProperty("preTokens").GetInt64();

        // Once the host (and with it the agent) has exited, every transcript line is on disk.
        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["scan", Path.Combine(session.ClaudeConfigDir, "projects"), "--json"], environment: null, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, stderr);
        JsonElement scan = JsonDocument.Parse(stdout).RootElement;
        JsonElement row = Assert.Single(scan.GetProperty("rows").EnumerateArray(), r => r.GetProperty("sessionId").GetString() == sessionId);
        Assert.Equal(preTokens, row.GetProperty("preTokens").GetInt64());
        Assert.Equal("manual", row.GetProperty("trigger").GetString());
        Assert.Equal(session.WorkDir, row.GetProperty("project").GetString());
        JsonElement summary = Assert.Single(scan.GetProperty("summary").EnumerateArray(), s => s.GetProperty("project").GetString() == session.WorkDir);
        Assert.Equal(1, summary.GetProperty("manual").GetInt32());
        Assert.Equal(0, scan.GetProperty("scanned").GetProperty("malformedLines").GetInt64());
    }

    [Fact(Timeout = Timeout)]
    public async Task Report_InHeadlessChromium_DrawsEveryChartWithoutConsoleErrors()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        using var work = new TempDirectory("acphost-report");
        WriteHistory(Path.Combine(work.Path, "projects"));
        string page = Path.Combine(work.Path, "report.html");
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["report", Path.Combine(work.Path, "projects"), "--out", page], environment: null, TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, stderr);
        Assert.Equal(page, stdout.Trim());

        var (dom, domLog) = await RunChromiumAsync(work.Path, "--dump-dom", new Uri(page).AbsoluteUri);
        foreach (string chart in new[] { "compactions", "fill", "per-day", "context", "cost-per-day" })
        {
            Assert.Contains($"data-chart=\"{chart}\"", dom, StringComparison.Ordinal);
        }

        Assert.InRange(Count(dom, "<rect class=\"cold expired\""), 3, int.MaxValue);
        Assert.InRange(Count(dom, "<rect class=\"cold compacted\""), 3, int.MaxValue);
        Assert.InRange(Count(dom, "<rect class=\"cache-reads\""), 5, int.MaxValue);
        Assert.InRange(Count(dom, "<rect class=\"cold-cache-writes\""), 3, int.MaxValue);
        Assert.InRange(Count(dom, "<table data-table=\"cold\""), 1, 1);
        Assert.InRange(Count(dom, "<circle class=\"auto\""), 10, int.MaxValue);
        Assert.InRange(Count(dom, "<circle class=\"manual\""), 2, int.MaxValue);
        Assert.InRange(Count(dom, "<polyline class=\"fill-line\""), 3, int.MaxValue);
        Assert.InRange(Count(dom, "<rect class=\"auto\""), 5, int.MaxValue);

        string artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        string screenshot = Path.Combine(artifacts, "acphost-report.png");
        File.Delete(screenshot);
        var (_, shotLog) = await RunChromiumAsync(work.Path, $"--screenshot={screenshot}", "--window-size=1400,2000", new Uri(page).AbsoluteUri);
        Assert.True(File.Exists(screenshot) && new FileInfo(screenshot).Length > 10_000, "no screenshot was written:\n" + shotLog);
        File.Copy(page, Path.Combine(artifacts, "acphost-report.html"), overwrite: true);
        output.WriteLine($"Report screenshot: {screenshot}");

        // The page's console, as Chromium logs it: no message (an error, a blocked request) may name the page.
        string[] aboutPage = [.. (domLog + shotLog).Split('\n').Where(line => line.Contains("report.html", StringComparison.Ordinal) || line.Contains("CONSOLE", StringComparison.Ordinal))];
        Assert.True(aboutPage.Length == 0, "console messages about the page:\n" + string.Join('\n', aboutPage));
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private async Task<(string Stdout, string Stderr)> RunChromiumAsync(string folder, params string[] arguments)
    {
        var info = new ProcessStartInfo(Chromium)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        string[] fixedArguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(folder, "chromium-profile")}",
            "--enable-logging=stderr", "--v=0",
        ];
        foreach (string argument in fixedArguments.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 90 s:\n" + await stderr);
        }

        string log = await stderr;
        output.WriteLine($"chromium {string.Join(' ', arguments)} exited {process.ExitCode}; stderr:\n{log}");
        Assert.True(process.ExitCode == 0, log);
        return (await stdout, log);
    }

    // Three projects, six sessions over ten days: the context fills up, auto-compacts (now and then the user compacts
    // first), fills again; every twentieth turn comes after a two-hour pause, so its request, like the first after each
    // compaction, finds the prompt cache cold. Lines shaped like the agent's (see tests/TestData/agent-samples).
    private static void WriteHistory(string projects)
    {
        var random = new Random(7);
        string[] cwds = ["/home/dev/src/web-app", "/home/dev/src/api", "/home/dev/notes"];
        for (int s = 0; s < 6; s++)
        {
            string cwd = cwds[s % cwds.Length];
            string sessionId = $"{s:x8}-0000-4000-8000-{s:x12}";
            string folder = Path.Combine(projects, cwd.Replace('/', '-'));
            Directory.CreateDirectory(folder);
            var lines = new List<string>();
            DateTimeOffset at = T0.AddDays(s * 1.7).AddHours(s);
            long fill = 15_000;
            bool cold = false;
            int turns = 60 + (s * 25);
            for (int turn = 0; turn < turns; turn++)
            {
                cold |= turn % 20 == 19;
                at = at.AddMinutes(turn % 20 == 19 ? 120 : random.Next(1, 6));
                fill += random.Next(2_000, 9_000);
                long read = cold ? 0 : fill - 503;
                lines.Add(Line(sessionId, cwd, at, "assistant", new JsonObject
                {
                    ["message"] = new JsonObject
                    {
                        ["id"] = $"msg_{s}_{turn}",
                        ["role"] = "assistant",
                        ["model"] = "claude-opus-5-5",
                        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new string('w', random.Next(100, 4000)) }),
                        ["usage"] = new JsonObject { ["input_tokens"] = 3, ["cache_creation_input_tokens"] = fill - 3 - read, ["cache_read_input_tokens"] = read, ["output_tokens"] = 300 },
                    },
                }));
                cold = false;
                bool manual = fill > 90_000 && random.Next(40) == 0;
                if (fill > 155_000 || manual)
                {
                    lines.Add(Line(sessionId, cwd, at.AddSeconds(30), "system", new JsonObject
                    {
                        ["subtype"] = "compact_boundary",
                        ["uuid"] = Guid.NewGuid().ToString(),
                        [turn % 2 == 0 ? "compactMetadata" : "compact_metadata"] = turn % 2 == 0
                            ? new JsonObject { ["trigger"] = manual ? "manual" : "auto", ["preTokens"] = fill, ["postTokens"] = 9_000, ["durationMs"] = 41_000 }
                            : new JsonObject { ["trigger"] = manual ? "manual" : "auto", ["pre_tokens"] = fill, ["post_tokens"] = 9_000, ["duration_ms"] = 41_000 },
                    }));
                    fill = 9_000;
                    cold = true;
                }
            }

            File.WriteAllText(Path.Combine(folder, sessionId + ".jsonl"), string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        }
    }

    private static string Line(string sessionId, string cwd, DateTimeOffset at, string type, JsonObject fields)
    {
        fields["type"] = type;
        fields["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        fields["cwd"] = cwd;
        fields["sessionId"] = sessionId;
        return fields.ToJsonString();
    }
}
