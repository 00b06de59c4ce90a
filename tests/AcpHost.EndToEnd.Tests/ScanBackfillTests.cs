using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Otlp;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary><c>acphost scan --otlp</c>: old compactions to a collector, with their own times, each once across runs.</summary>
public class ScanBackfillTests
{
    private const int Timeout = 180_000;
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 30, 0, TimeSpan.Zero);

    [Fact(Timeout = Timeout)]
    public async Task ScanOtlp_RunTwiceAndAfterANewCompaction_EachCompactionSentOnceWithItsOwnTime()
    {
        using var work = new TempDirectory("acphost-backfill");
        string projects = Path.Combine(work.Path, "projects");
        string data = Path.Combine(work.Path, "data");
        string transcript = Path.Combine(projects, "-work-app", "s-old.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(transcript)!);
        File.WriteAllText(transcript, Boundary("u-1", T0, "auto", 180_000) + Boundary("u-2", T0.AddHours(3), "manual", 60_000), new UTF8Encoding(false));

        // A collector that is not there: the run says so, fails, and remembers nothing.
        var (exitCode, _, stderr) = await ScanAsync(projects, data, ClosedCollector.Endpoint());
        Assert.True(exitCode == 1, stderr);
        Assert.Contains("did not take", stderr, StringComparison.Ordinal);

        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync("http/protobuf");
        (exitCode, string stdout, stderr) = await ScanAsync(projects, data, receiver.Endpoint);
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("sent 2 compaction(s) over OTLP (0 sent by earlier runs)", stderr, StringComparison.Ordinal);
        Assert.StartsWith("{", stdout, StringComparison.Ordinal); // the scan's own output is unchanged
        OtlpLog first = await receiver.WaitForLogAsync(l => l["boundary_uuid"] as string == "u-1", TimeSpan.FromSeconds(30));
        Assert.Equal("acphost.compaction", first["event.name"]);
        Assert.Equal("transcript", first["source"]);
        Assert.Equal("s-old", first["session.id"]);
        Assert.Equal("auto", first["trigger"]);
        Assert.Equal(180_000L, first["pre_tokens"]);
        Assert.Equal(9_000L, first["post_tokens"]);
        Assert.Equal(41_000L, first["duration_ms"]);
        Assert.Equal("u-1", first["id"]);
        Assert.Equal(T0, first.Time);
        Assert.Equal(T0.AddHours(3), (await receiver.WaitForLogAsync(l => l["boundary_uuid"] as string == "u-2", TimeSpan.FromSeconds(30))).Time);

        (exitCode, _, stderr) = await ScanAsync(projects, data, receiver.Endpoint);
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("sent 0 compaction(s) over OTLP (2 sent by earlier runs)", stderr, StringComparison.Ordinal);

        File.AppendAllText(transcript, Boundary("u-3", T0.AddDays(1), "auto", 170_000));
        (exitCode, _, stderr) = await ScanAsync(projects, data, receiver.Endpoint);
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("sent 1 compaction(s) over OTLP (2 sent by earlier runs)", stderr, StringComparison.Ordinal);
        await receiver.WaitForLogAsync(l => l["boundary_uuid"] as string == "u-3", TimeSpan.FromSeconds(30));
        Assert.Equal(3, receiver.Logs.Count(l => l["event.name"] as string == "acphost.compaction"));
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanOtlp_HeadersTheSdkRefuses_SaysWhyAndExitsWithoutACrash()
    {
        using var work = new TempDirectory("acphost-backfill-bad");
        string projects = Path.Combine(work.Path, "projects");
        string transcript = Path.Combine(projects, "-work-app", "s-old.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(transcript)!);
        File.WriteAllText(transcript, Boundary("u-1", T0, "auto", 180_000), new UTF8Encoding(false));

        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["scan", projects, "--data-dir", Path.Combine(work.Path, "data"), "--otlp", "--json"],
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = ClosedCollector.Endpoint(), ["OTEL_EXPORTER_OTLP_HEADERS"] = "Authorization" },
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, stderr);
        Assert.Contains("acphost: cannot send compactions", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.StartsWith("{", stdout, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> ScanAsync(string projects, string data, string endpoint) =>
        HostCommand.RunAsync(
            ["scan", projects, "--data-dir", data, "--otlp", "--json"],
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf", ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "3000" },
            TimeSpan.FromSeconds(60));

    private static string Boundary(string uuid, DateTimeOffset at, string trigger, long preTokens) => new JsonObject
    {
        ["type"] = "system",
        ["subtype"] = "compact_boundary",
        ["uuid"] = uuid,
        ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["cwd"] = "/work/app",
        ["sessionId"] = "s-old",
        ["compactMetadata"] = new JsonObject { ["trigger"] = trigger, ["preTokens"] = preTokens, ["postTokens"] = 9_000, ["durationMs"] = 41_000 },
    }.ToJsonString() + "\n";
}
