using System.Text;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using static AcpHost.Tests.Usage.UsageLines;

namespace AcpHost.Tests.PostMortem;

/// <summary><c>acphost usage</c> as a person and a script see it: the JSON contract, the table, the settings.</summary>
public sealed class UsageCommandTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _config = Directory.CreateTempSubdirectory("acphost-usage-cmd-").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private string Projects => Path.Combine(_config, "projects");

    // s1: three requests, the third cold after a 10-minute pause; s2 (another project): one request, an unpriced model.
    private void Seed()
    {
        Write("-work-app", "s1.jsonl",
            Request("s1", T0, "m1", input: 10, write5m: 100_000, output: 100),
            Request("s1", T0.AddMinutes(1), "m2", input: 10, write5m: 70_000, read: 100_010, output: 100),
            Request("s1", T0.AddMinutes(11), "m3", input: 10, write5m: 170_020, output: 100));
        Write("-work-other", "s2.jsonl", Request("s2", T0, "x1", write5m: 1_000, model: "gateway-model", cwd: "/work/other"));
    }

    private void Write(string folder, string file, params string[] lines)
    {
        string path = Path.Combine(Projects, folder);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, file), string.Join('\n', lines) + "\n", new UTF8Encoding(false));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        InProcessCli.RunAsync(["usage", .. arguments], name => name == "CLAUDE_CONFIG_DIR" ? _config : null);

    private static JsonElement Session(JsonElement root, string id) =>
        root.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == id);

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_TheDocumentedShapeWithKnownAnswers()
    {
        Seed();

        (int exitCode, string stdout, string stderr) = await RunAsync("--json");

        Assert.True(exitCode == 0, stderr);
        JsonElement root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["sessions", "projects", "total", "scanned"], root.EnumerateObject().Select(p => p.Name));
        string[] sums =
        [
            "requests", "sidechainRequests", "peakContext", "medianContext", "tokens", "requestsOver160k", "requestsOver500k",
            "costOver160kUsd", "costOver500kUsd", "costUsd", "coldRequests", "coldExtraCostUsd",
        ];
        JsonElement s1 = Session(root, "s1");
        Assert.Equal(["project", "sessionId", .. sums, "cold", "compactions", "unpricedModels"], s1.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["input", "cacheWrite5m", "cacheWrite1h", "cacheRead", "output"], s1.GetProperty("tokens").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["project", "sessions", .. sums, "compactions", "unpricedModels"], root.GetProperty("projects")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["sessions", .. sums, "compactions", "unpricedModels"], root.GetProperty("total").EnumerateObject().Select(p => p.Name));

        // 100,010, 170,020 and 170,030 tokens of context; the third request wrote 170,020 after 10 minutes.
        Assert.Equal((3, 170_030L, 170_020L, 2L), (s1.GetProperty("requests").GetInt32(), s1.GetProperty("peakContext").GetInt64(), s1.GetProperty("medianContext").GetInt64(), s1.GetProperty("requestsOver160k").GetInt64()));
        double cost = Usd(30, 4) + Usd(340_020, 5) + Usd(100_010, 0.20) + Usd(300, 20);
        Assert.Equal(Math.Round(cost, 6), s1.GetProperty("costUsd").GetDouble());
        Assert.Equal(Math.Round(Usd(20, 4) + Usd(240_020, 5) + Usd(100_010, 0.20) + Usd(200, 20), 6), s1.GetProperty("costOver160kUsd").GetDouble());
        JsonElement cold = Assert.Single(s1.GetProperty("cold").EnumerateArray());
        Assert.Equal(["at", "reason", "gapSeconds", "context", "cacheWrite", "extraCostUsd"], cold.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("2026-03-01T09:11:00Z", "expired", 600.0, 170_030L, 170_020L), (cold.GetProperty("at").GetString(), cold.GetProperty("reason").GetString(), cold.GetProperty("gapSeconds").GetDouble(), cold.GetProperty("context").GetInt64(), cold.GetProperty("cacheWrite").GetInt64()));
        Assert.Equal(Math.Round(Usd(170_020, 4.8), 6), cold.GetProperty("extraCostUsd").GetDouble());

        JsonElement s2 = Session(root, "s2");
        Assert.Equal((0.0, "gateway-model"), (s2.GetProperty("costUsd").GetDouble(), Assert.Single(s2.GetProperty("unpricedModels").EnumerateArray()).GetString()));
        JsonElement total = root.GetProperty("total");
        Assert.Equal((2, 4, 1), (total.GetProperty("sessions").GetInt32(), total.GetProperty("requests").GetInt32(), total.GetProperty("coldRequests").GetInt32()));
        Assert.Equal(["gateway-model"], total.GetProperty("unpricedModels").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["/work/app", "/work/other"], root.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("project").GetString()));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Table_CostliestFirstWithin100ColumnsEndingWithTheColdShare()
    {
        Seed();
        Write("-work-app", "s3.jsonl", Request("s3", T0, "y1", write5m: 500_000, output: 5_000));

        (int exitCode, string stdout, string stderr) = await RunAsync();

        Assert.True(exitCode == 0, stderr);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 100, $"{line.Length} columns: {line}"));
        Assert.StartsWith("cost", lines[0].TrimStart(), StringComparison.Ordinal);
        Assert.Equal(["s3", "s1", "s2"], lines.Skip(1).Take(3).Select(line => line.Split("  ", StringSplitOptions.RemoveEmptyEntries)[^2]));
        Assert.Contains(lines, line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["2026-03-01", "09:11:00", "s1", "expired", "10m00s", "170k", "170k", "$0.82", "claude-opus-5-5"]);
        Assert.Contains("By reason: 1 expired, 0 compacted, 0 model, 0 unknown.", lines);
        Assert.Contains(lines, line => line.Contains("gateway-model", StringComparison.Ordinal) && line.StartsWith("Not in the cost", StringComparison.Ordinal));
        Assert.Equal("Cold requests: 1 of 5, $0.85 (19.7 %) of $4.33; $0.82 (18.9 %) extra for the cold cache.", lines[^1]);
        Assert.Contains(lines, line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["$4.33", "$0.82", "1", "4", "2", "3", "88%", "1", "60%", "/work/app"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_SetPrices_OverrideADefaultAndPriceANewModel()
    {
        Seed();

        (int exitCode, string stdout, string stderr) = await RunAsync(
            "--json",
            "--set", "Pricing:Models:claude-opus-5-5:CacheWrite5m=10",
            "--set", "Pricing:Models:gateway:Input=1", "--set", "Pricing:Models:gateway:Output=1", "--set", "Pricing:Models:gateway:CacheWrite5m=2",
            "--set", "Pricing:Models:gateway:CacheWrite1h=2", "--set", "Pricing:Models:gateway:CacheRead=0");

        Assert.True(exitCode == 0, stderr);
        JsonElement root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(Math.Round(Usd(170_020, 9.8), 6), Session(root, "s1").GetProperty("cold")[0].GetProperty("extraCostUsd").GetDouble());
        JsonElement s2 = Session(root, "s2");
        Assert.Equal((Math.Round(Usd(10, 1) + Usd(1_000, 2) + Usd(100, 1), 6), 0), (s2.GetProperty("costUsd").GetDouble(), s2.GetProperty("unpricedModels").GetArrayLength()));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("Pricing:Models:gateway:Input=1", "Pricing:Models:gateway matches no shipped price")]
    [InlineData("Usage:CacheTtl5m=soon", "Usage:CacheTtl5m 'soon' is not a positive time span")]
    public async Task Invoke_BadSetting_ExitsTwoSayingWhich(string setting, string expected)
    {
        Seed();

        (int exitCode, string stdout, string stderr) = await RunAsync("--set", setting);

        Assert.Equal((2, ""), (exitCode, stdout));
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_ShortenedTtlAndSession_AOneMinutePauseExpires()
    {
        Seed();

        (int exitCode, string stdout, string stderr) = await RunAsync("--json", "--session", "s1", "--set", "Usage:CacheTtl5m=00:00:30");

        Assert.True(exitCode == 0, stderr);
        JsonElement root = JsonDocument.Parse(stdout).RootElement;
        JsonElement s1 = Assert.Single(root.GetProperty("sessions").EnumerateArray());
        Assert.Equal(["expired"], s1.GetProperty("cold").EnumerateArray().Select(c => c.GetProperty("reason").GetString()));
        Assert.Equal(1, root.GetProperty("total").GetProperty("sessions").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_DataDirWithACompactionTheTranscriptLost_CountedAndTheColdRequestCompacted()
    {
        Write("-work-app", "s1.jsonl",
            Request("s1", T0, "m1", write5m: 100_000),
            Request("s1", T0.AddMinutes(2), "m2", write5m: 9_000, read: 200));
        string dataDir = Path.Combine(_config, "data");
        await new CompactionLedger(dataDir).AppendAsync(
            new CompactionRecord { Id = "cmp-1", SessionId = "s1", Trigger = "auto", PreTokens = 100_010, At = T0.AddMinutes(1), Source = CompactionSources.ToolCall },
            CancellationToken.None);

        (_, string plain, _) = await RunAsync("--json");
        (int exitCode, string stdout, string stderr) = await RunAsync("--json", "--data-dir", dataDir);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(("unknown", 0), (Session(JsonDocument.Parse(plain).RootElement, "s1").GetProperty("cold")[0].GetProperty("reason").GetString(), Session(JsonDocument.Parse(plain).RootElement, "s1").GetProperty("compactions").GetInt32()));
        JsonElement s1 = Session(JsonDocument.Parse(stdout).RootElement, "s1");
        Assert.Equal(("compacted", 1), (s1.GetProperty("cold")[0].GetProperty("reason").GetString(), s1.GetProperty("compactions").GetInt32()));
    }
}
