using System.Diagnostics;
using System.Text;
using AcpHost.Tests.Support;
using static AcpHost.Tests.PostMortem.TranscriptLines;

namespace AcpHost.Tests.PostMortem;

/// <summary>
/// <c>acphost scan</c> on folders another program (or person) shaped: only regular files are read, symlink loops
/// end, FIFOs and devices are skipped, and every run finishes.
/// </summary>
public sealed class ScanHostileFilesTests : IDisposable
{
    private const int Timeout = 20_000;

    private readonly string _projects = Directory.CreateTempSubdirectory("acphost-scan-hostile-").FullName;

    public void Dispose() => Directory.Delete(_projects, recursive: true);

    private string SeedProject()
    {
        string folder = Path.Combine(_projects, "-work-app");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "s1.jsonl"), Boundary("s1", "/work/app", T0, "auto", 150_110) + "\n", new UTF8Encoding(false));
        return folder;
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> ScanAsync() =>
        InProcessCli.RunAsync(["scan", _projects, "--json"]).WaitAsync(TimeSpan.FromSeconds(15));

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Scan_SymlinkLoop_FinishesAndCountsEachFileOnce()
    {
        string folder = SeedProject();
        Directory.CreateSymbolicLink(Path.Combine(folder, "loop"), _projects);
        Directory.CreateSymbolicLink(Path.Combine(_projects, "self"), ".");

        (int exitCode, string stdout, string stderr) = await ScanAsync();

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("\"files\":1", stdout.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Scan_FifoAndDeviceNamedJsonl_AreSkippedAndTheScanFinishes()
    {
        string folder = SeedProject();
        MakeFifo(Path.Combine(folder, "fifo.jsonl"));
        File.CreateSymbolicLink(Path.Combine(folder, "zero.jsonl"), "/dev/zero");

        (int exitCode, string stdout, string stderr) = await ScanAsync();

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("\"files\":1", stdout.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Scan_FifoGivenAsTheRoot_IsReportedNotRead()
    {
        string fifo = Path.Combine(_projects, "given.jsonl");
        MakeFifo(fifo);

        (int exitCode, _, string stderr) = await InProcessCli.RunAsync(["scan", fifo, "--json"]).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(1, exitCode);
        Assert.Contains("not a regular file", stderr, StringComparison.Ordinal);
    }
}
