using System.Diagnostics;
using AcpHost.Settings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Agent;

/// <summary>
/// Installs the pinned agent package with npm on first use and finds it afterwards. Each install goes into a fresh
/// temporary folder that is renamed into place only when complete, so a host killed mid-install, or two hosts
/// installing at once, never leave a half-installed agent behind for the next one.
/// </summary>
internal sealed partial class AgentInstaller(IOptions<AgentOptions> options, IOptions<HostSettings> settings, ILogger<AgentInstaller> log)
{
    /// <summary>The package this host is configured to run.</summary>
    public AgentPackage Package => new(
        options.Value.Package,
        options.Value.Version,
        string.IsNullOrWhiteSpace(options.Value.InstallDir) ? DataDirectory.Agents(settings.Value.DataDir) : Path.GetFullPath(options.Value.InstallDir));

    /// <summary>Returns the agent's bin script, installing the package first when it is not there yet.</summary>
    public async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        AgentPackage package = Package;
        if (package.FindEntryPoint() is { } existing)
        {
            return existing;
        }

        await CheckNodeAsync(cancellationToken).ConfigureAwait(false);
        LogInstalling(log, package.Spec, package.Folder);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(package.InstallRoot);
        string staging = Path.Combine(package.InstallRoot, $".installing-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            await File.WriteAllTextAsync(Path.Combine(staging, "package.json"), "{\"name\":\"acphost-agent\",\"private\":true}\n", cancellationToken).ConfigureAwait(false);
            await RunNpmInstallAsync(package, staging, cancellationToken).ConfigureAwait(false);
            string entry = FindBinScript(Path.Combine(staging, "node_modules", package.Name), package);
            await File.WriteAllTextAsync(Path.Combine(staging, AgentPackage.CompleteMarker), Path.GetRelativePath(staging, entry), cancellationToken).ConfigureAwait(false);
            Publish(staging, package);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                TryDelete(staging);
            }
        }

        string installed = package.FindEntryPoint() ?? throw new AgentInstallException($"{package.Spec} was installed into {package.Folder} but its entry point is missing");
        LogInstalled(log, package.Spec, clock.Elapsed.TotalSeconds);
        return installed;
    }

    private async Task CheckNodeAsync(CancellationToken cancellationToken)
    {
        AgentOptions agent = options.Value;
        string? version = null;
        int? exit = await ToolRunner.RunAsync(agent.Node, ["--version"], null, line => version ??= line, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (exit is null)
        {
            throw new AgentInstallException(
                $"Node.js was not found ('{agent.Node}' could not be started). AcpHost runs the Claude agent with Node.js {agent.MinimumNodeMajor} or later and installs it with npm: install Node.js and npm, or set Agent:Node to the node executable.");
        }

        int? major = NodeVersion.ParseMajor(version);
        if (exit != 0 || major is null || major < agent.MinimumNodeMajor)
        {
            throw new AgentInstallException(
                $"Node.js {agent.MinimumNodeMajor} or later is needed to run the Claude agent; '{agent.Node} --version' said '{version ?? "nothing"}'.");
        }

        int? npmExit = await ToolRunner.RunAsync(agent.Npm, ["--version"], null, _ => { }, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (npmExit is null or not 0)
        {
            throw new AgentInstallException(
                $"npm was not found or does not work ('{agent.Npm} --version' failed). AcpHost installs the Claude agent with npm on first use: install npm, or set Agent:Npm.");
        }
    }

    private async Task RunNpmInstallAsync(AgentPackage package, string staging, CancellationToken cancellationToken)
    {
        AgentOptions agent = options.Value;
        string[] arguments = ["install", "--no-audit", "--no-fund", "--omit=dev", "--loglevel=warn", "--prefix", staging, package.Spec];
        int? exit;
        try
        {
            exit = await ToolRunner.RunAsync(agent.Npm, arguments, staging, line => LogNpm(log, line), agent.InstallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new AgentInstallException($"Installing {package.Spec} timed out: {ex.Message}", ex);
        }

        if (exit != 0)
        {
            throw new AgentInstallException($"'npm install {package.Spec}' failed (exit code {exit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); its output is in the log above.");
        }
    }

    /// <summary>Reads the package's <c>bin</c> from its package.json, instead of assuming where its script lives.</summary>
    private static string FindBinScript(string packageFolder, AgentPackage package)
    {
        string manifest = Path.Combine(packageFolder, "package.json");
        if (!File.Exists(manifest))
        {
            throw new AgentInstallException($"npm reported success but {manifest} is missing");
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        string? relative = document.RootElement.TryGetProperty("bin", out JsonElement bin) ? bin.ValueKind switch
        {
            JsonValueKind.String => bin.GetString(),
            JsonValueKind.Object => bin.EnumerateObject().Select(property => property.Value.GetString()).FirstOrDefault(),
            _ => null,
        } : null;
        if (relative is null)
        {
            throw new AgentInstallException($"{package.Spec} declares no bin script in its package.json");
        }

        return Path.GetFullPath(Path.Combine(packageFolder, relative));
    }

    private static void Publish(string staging, AgentPackage package)
    {
        try
        {
            Directory.Move(staging, package.Folder);
        }
        catch (IOException) when (package.FindEntryPoint() is not null)
        {
            // Another host finished the same install first; its copy is as good as ours.
        }
        catch (IOException)
        {
            // A leftover, incomplete folder (no marker) from an older host: replace it.
            TryDelete(package.Folder);
            Directory.Move(staging, package.Folder);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a stale staging folder costs disk space, not correctness.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Installing {Spec} into {Folder} (first use; about 400 MB, usually under a minute)")]
    private static partial void LogInstalling(ILogger logger, string spec, string folder);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Installed {Spec} in {Seconds:0.0} s")]
    private static partial void LogInstalled(ILogger logger, string spec, double seconds);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "npm: {Line}")]
    private static partial void LogNpm(ILogger logger, string line);
}
