using System.Text;
using System.Text.Json;
using AcpHost.Tests.Support;
using static AcpHost.Tests.PostMortem.TranscriptLines;

namespace AcpHost.Tests.PostMortem;

/// <summary>Sums of <c>preTokens</c> never overflow: they saturate at <see cref="long.MaxValue"/>.</summary>
public sealed class ScanHugeNumbersTests : IDisposable
{
    private const int Timeout = 15_000;
    private const long Huge = 6_000_000_000_000_000_000;

    private readonly string _config = Directory.CreateTempSubdirectory("acphost-scan-huge-").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private string Projects => Path.Combine(_config, "projects");

    private void Seed()
    {
        string folder = Path.Combine(Projects, "-work-app");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "s1.jsonl"), string.Join('\n',
            Boundary("s1", "/work/app", T0, "auto", Huge),
            Boundary("s1", "/work/app", T0.AddMinutes(1), "auto", Huge)) + "\n", new UTF8Encoding(false));
    }

    [Fact(Timeout = Timeout)]
    public async Task Scan_TwoHugePreTokens_TotalSaturatesAndTheMedianIsExact()
    {
        Seed();

        (int exitCode, string stdout, string stderr) = await InProcessCli.RunAsync(["scan", Projects, "--json"]);

        Assert.True(exitCode == 0, stderr);
        JsonElement summary = JsonDocument.Parse(stdout).RootElement.GetProperty("summary")[0];
        Assert.Equal(long.MaxValue, summary.GetProperty("totalFlattened").GetInt64());
        Assert.Equal(Huge, summary.GetProperty("medianPreTokens").GetInt64());
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanTable_TwoHugePreTokens_PrintsTheSaturatedTotal()
    {
        Seed();

        (int exitCode, string stdout, string stderr) = await InProcessCli.RunAsync(["scan", Projects]);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains(long.MaxValue.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), stdout, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Report_TwoHugePreTokens_WritesTheHtml()
    {
        Seed();
        string output = Path.Combine(_config, "report.html");

        (int exitCode, _, string stderr) = await InProcessCli.RunAsync(
            ["report", Projects, "--out", output, "--data-dir", Path.Combine(_config, "data")], _ => null);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("<html", await File.ReadAllTextAsync(output), StringComparison.OrdinalIgnoreCase);
    }
}
