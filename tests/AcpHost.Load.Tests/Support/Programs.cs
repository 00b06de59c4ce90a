using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AcpHost.Load.Tests.Support;

/// <summary>The programs built with these tests (see the project file), each run from its own output folder.</summary>
public static class Programs
{
    /// <summary>acphost.dll.</summary>
    public static string HostDll { get; } = Metadata("AcpHostDll");

    /// <summary>The benchmark, whose <c>fake-agent</c> role answers <c>bench/flood</c>.</summary>
    public static string BenchDll { get; } = Metadata("BenchDll");

    /// <summary>
    /// <c>dotnet acphost.dll run --data-dir DATA_DIR -- dotnet acphost-bench.dll fake-agent</c>, stdio redirected, with
    /// none of the test's own ACPHOST_ settings.
    /// </summary>
    public static ProcessStartInfo HostWithFakeAgent(string dataDir)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (string word in (string[])[HostDll, "run", "--data-dir", dataDir, "--", "dotnet", BenchDll, "fake-agent"])
        {
            info.ArgumentList.Add(word);
        }

        foreach (string name in info.Environment.Keys.Where(key => key.StartsWith("ACPHOST_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        return info;
    }

    private static string Metadata(string key) => Path.GetFullPath(
        typeof(Programs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);
}
