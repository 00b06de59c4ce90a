using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>Runs acphost as a separate process, the way an editor or a user would.</summary>
public static class HostCommand
{
    /// <summary>The acphost.dll built with the tests, in its own output folder (see the project file).</summary>
    public static string HostDll { get; } = Path.GetFullPath(
        typeof(HostCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AcpHostDll").Value!);

    /// <summary>A start info for <c>dotnet acphost.dll ARGS</c> with redirected stdio (another copy's dll if given).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? hostDll = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add(hostDll ?? HostDll);
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
    /// Copies the host's output folder into <paramref name="folder"/> with <paramref name="appSettings"/> as its
    /// <c>appsettings.json</c> (read from beside the executable); returns the copy's acphost.dll.
    /// </summary>
    public static string CopyWithAppSettings(string folder, string appSettings)
    {
        string source = Path.GetDirectoryName(HostDll)!;
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.WriteAllText(Path.Combine(folder, "appsettings.json"), appSettings);
        return Path.Combine(folder, Path.GetFileName(HostDll));
    }
}
