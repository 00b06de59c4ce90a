namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// Installs the pinned Claude agent once per machine, through <c>acphost install-agent</c> itself, into a cache folder
/// shared by test runs. Later runs find it installed and start at once. <c>ACPHOST_TEST_AGENT_VERSION</c> runs the
/// suite against another version of the agent: it is installed beside the pinned one and every host under test runs it.
/// </summary>
public sealed class AgentInstall : IAsyncLifetime
{
    /// <summary>The environment variable that names another agent version to test against.</summary>
    public const string VersionVariable = "ACPHOST_TEST_AGENT_VERSION";

    /// <summary>The agent version under test: <c>$ACPHOST_TEST_AGENT_VERSION</c>, or null for the pinned one.</summary>
    public static string? Version { get; } = Environment.GetEnvironmentVariable(VersionVariable) is { Length: > 0 } version ? version.Trim() : null;

    /// <summary>What <c>acphost install-agent</c> and <c>acphost run</c> are given to use <see cref="Version"/>.</summary>
    public static IReadOnlyList<string> VersionArguments { get; } = Version is null ? [] : ["--set", "Agent:Version=" + Version];

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The folder installed agents live in (<c>Agent:InstallDir</c>).</summary>
    public string InstallDir { get; } = Environment.GetEnvironmentVariable("ACPHOST_TEST_AGENT_CACHE") is { Length: > 0 } custom
        ? custom
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "acphost-tests", "agent");

    /// <summary>The entry script acphost reported.</summary>
    public string EntryPoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        using var dataDir = new TempDirectory("acphost-install");
        var result = await HostCommand.RunAsync(
            ["install-agent", "--data-dir", dataDir.Path, "--set", $"Agent:InstallDir={InstallDir}", .. VersionArguments],
            environment: null,
            InstallTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"acphost install-agent failed ({result.ExitCode}):\n{result.Stderr}");
        }

        EntryPoint = result.Stdout.Trim();
        if (!File.Exists(EntryPoint))
        {
            throw new InvalidOperationException($"acphost install-agent printed '{EntryPoint}', which does not exist");
        }

        if (Version is not null && !EntryPoint.Contains("@" + Version + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{VersionVariable}={Version}, but acphost install-agent installed '{EntryPoint}'");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
