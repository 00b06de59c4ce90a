using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// Runs acphost as a separate process, the way an editor or a user would: the acphost.dll built with the tests (under
/// <c>dotnet</c>), or, when <c>ACPHOST_TEST_HOST</c> names one, a published <c>acphost</c> executable (the native or
/// ReadyToRun build <c>scripts/acphost</c> makes; <c>scripts/test.sh</c> runs the suite so).
/// </summary>
public static class HostCommand
{
    /// <summary>The environment variable naming a published acphost executable to test instead of the built dll.</summary>
    public const string PublishedVariable = "ACPHOST_TEST_HOST";

    /// <summary>The published executable under test, or null for the dll built with the tests.</summary>
    public static string? Published { get; } = Environment.GetEnvironmentVariable(PublishedVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The host under test: the published executable, else the acphost.dll built with the tests (see the project file).</summary>
    public static string HostDll { get; } = Published ?? Path.GetFullPath(
        typeof(HostCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AcpHostDll").Value!);

    /// <summary>
    /// The build under test as its <c>--version</c> names it: <c>native</c>, <c>ReadyToRun</c> or <c>JIT</c>. Asked once;
    /// a test whose check only holds for one kind of build (files mapped per assembly) reads it.
    /// </summary>
    public static string Build => LazyBuild.Value;

    private static readonly Lazy<string> LazyBuild = new(() =>
    {
        using var process = Process.Start(StartInfo(["--version"], environment: null))!;
        process.StandardInput.Close();
        string version = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        int open = version.LastIndexOf('(');
        return open >= 0 ? version[(open + 1)..].Split(',')[0] : throw new InvalidOperationException($"acphost --version said '{version}'");
    });

    /// <summary>
    /// A start info for <c>dotnet acphost.dll ARGS</c> (or the published executable) with redirected stdio; another
    /// copy's dll or executable if given.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? hostDll = null)
    {
        string host = hostDll ?? HostDll;
        bool dll = host.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(dll ? "dotnet" : host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        if (dll)
        {
            info.ArgumentList.Add(host);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The tests' own settings must not leak into the host under test.
        foreach (string name in info.Environment.Keys.Where(key => key.StartsWith("ACPHOST_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>Runs to completion with stdin closed; kills the tree and throws on timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string? stdin = null, string? hostDll = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment, hostDll))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"acphost {string.Join(' ', arguments)} did not finish within {timeout}; stderr:\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Copies the host's folder into <paramref name="folder"/> with <paramref name="appSettings"/> as its
    /// <c>appsettings.json</c> (read from beside the executable); returns the copy's acphost.dll or executable.
    /// </summary>
    public static string CopyWithAppSettings(string folder, string appSettings)
    {
        string source = Path.GetDirectoryName(HostDll)!;
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            // Debug symbols are not needed to run it (a native build's are twice its size).
            if (file.EndsWith(".dbg", StringComparison.Ordinal) || file.EndsWith(".pdb", StringComparison.Ordinal))
            {
                continue;
            }

            string target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.WriteAllText(Path.Combine(folder, "appsettings.json"), appSettings);
        return Path.Combine(folder, Path.GetFileName(HostDll));
    }
}
