using AcpHost.Agent;
using AcpHost.Settings;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Options;

namespace AcpHost.Tests.Agent;

/// <summary>The installer against stand-in node and npm scripts: no network, no real npm.</summary>
public sealed class AgentInstallerTests : IDisposable
{
    private const int Timeout = 30_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-installer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Script(string name, string body)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private AgentInstaller Installer(string node, string npm, ListLogger<AgentInstaller>? log = null) => new(
        Options.Create(new AgentOptions { Node = node, Npm = npm, Package = "@scope/fake-agent", Version = "1.0.0", InstallDir = Path.Combine(_folder, "agents") }),
        Options.Create(new HostSettings { DataDir = _folder }),
        log ?? new ListLogger<AgentInstaller>());

    // A stand-in npm that "installs" the package the way npm lays it out: node_modules/<name>/package.json with a bin.
    private const string FakeNpmInstall = """
        if [ "$1" = "--version" ]; then echo 11.0.0; exit 0; fi
        prefix=""; while [ $# -gt 0 ]; do if [ "$1" = "--prefix" ]; then prefix="$2"; fi; shift; done
        mkdir -p "$prefix/node_modules/@scope/fake-agent/dist"
        echo '{"name":"@scope/fake-agent","bin":{"fake-agent":"dist/main.js"}}' > "$prefix/node_modules/@scope/fake-agent/package.json"
        echo 'console.log(1)' > "$prefix/node_modules/@scope/fake-agent/dist/main.js"
        echo "added 1 package"
        """;

    [Fact(Timeout = Timeout)]
    public async Task EnsureInstalled_FirstUse_InstallsFindsTheBinAndReusesItAfterwards()
    {
        var log = new ListLogger<AgentInstaller>();
        AgentInstaller installer = Installer(Script("node", "echo v20.1.0"), Script("npm", FakeNpmInstall), log);

        string entry = await installer.EnsureInstalledAsync(CancellationToken.None);

        Assert.Equal(Path.Combine(_folder, "agents", "scope+fake-agent@1.0.0", "node_modules", "@scope", "fake-agent", "dist", "main.js"), entry);
        Assert.True(File.Exists(entry));
        Assert.True(log.Contains(Microsoft.Extensions.Logging.LogLevel.Information, "npm: added 1 package"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_folder, "agents"), ".installing-*"));

        // Second use: npm must not run again (a failing npm proves it).
        AgentInstaller again = Installer(Script("node2", "exit 1"), Script("npm2", "exit 1"));
        Assert.Equal(entry, await again.EnsureInstalledAsync(CancellationToken.None));
    }

    [Fact(Timeout = Timeout)]
    public async Task EnsureInstalled_NodeMissing_SaysWhatToInstall()
    {
        AgentInstaller installer = Installer(Path.Combine(_folder, "no-such-node"), Script("npm", FakeNpmInstall));

        var error = await Assert.ThrowsAsync<AgentInstallException>(() => installer.EnsureInstalledAsync(CancellationToken.None));

        Assert.Contains("Node.js was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task EnsureInstalled_NodeTooOld_SaysWhichVersionIsNeeded()
    {
        AgentInstaller installer = Installer(Script("node", "echo v16.20.0"), Script("npm", FakeNpmInstall));

        var error = await Assert.ThrowsAsync<AgentInstallException>(() => installer.EnsureInstalledAsync(CancellationToken.None));

        Assert.Contains("Node.js 20 or later", error.Message, StringComparison.Ordinal);
        Assert.Contains("v16.20.0", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task EnsureInstalled_NpmFails_ReportsItAndLeavesNoHalfInstall()
    {
        AgentInstaller installer = Installer(Script("node", "echo v22.0.0"), Script("npm", "if [ \"$1\" = \"--version\" ]; then echo 11; exit 0; fi\necho 'npm error 404 Not Found' >&2\nexit 1"));

        var error = await Assert.ThrowsAsync<AgentInstallException>(() => installer.EnsureInstalledAsync(CancellationToken.None));

        Assert.Contains("npm install @scope/fake-agent@1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_folder, "agents")));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("v20.20.2", 20)]
    [InlineData("22.1.0", 22)]
    [InlineData("v8", 8)]
    [InlineData("", null)]
    [InlineData("node: not found", null)]
    public async Task NodeVersion_ParseMajor_ReadsTheMajorVersion(string text, int? expected)
    {
        Assert.Equal(expected, NodeVersion.ParseMajor(text));
        await Task.CompletedTask;
    }
}
