using System.Text.Json;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>The acphost process without the real agent: start-up failures, help, tracing.</summary>
public class HostCommandLineTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task Run_AgentThatCannotStart_AnswersInitializeWithTheReasonAndExitsTwo()
    {
        using var data = new TempDirectory("acphost-nostart");

        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["run", "--data-dir", data.Path, "--", "/nonexistent/agent-binary"],
            environment: null,
            TimeSpan.FromSeconds(30),
            stdin: """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":1}}""" + "\n");

        Assert.Equal(2, exitCode);
        JsonElement response = JsonDocument.Parse(stdout.Trim()).RootElement;
        Assert.Equal(1, response.GetProperty("id").GetInt32());
        Assert.Equal(-32603, response.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("/nonexistent/agent-binary", response.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Cannot start the agent", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Help_DocumentsRunAndItsOptions()
    {
        var (exitCode, stdout, _) = await HostCommand.RunAsync(["--help"], environment: null, TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        foreach (string expected in new[] { "run", "--data-dir", "--log-level", "--trace", "install-agent" })
        {
            Assert.Contains(expected, stdout, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Run_WithTrace_WritesEveryRelayedMessageToAPrivateFile()
    {
        using var data = new TempDirectory("acphost-trace");
        string trace = Path.Combine(data.Path, "trace.ndjson");

        // `cat` as the agent echoes each request back as if it were the agent's own request: enough to relay both ways.
        var (exitCode, stdout, _) = await HostCommand.RunAsync(
            ["run", "--data-dir", data.Path, "--trace", trace, "--", "cat"],
            environment: null,
            TimeSpan.FromSeconds(30),
            stdin: """{"jsonrpc":"2.0","method":"hello","params":{"n":1}}""" + "\n");

        Assert.Equal(0, exitCode);
        Assert.Equal("""{"jsonrpc":"2.0","method":"hello","params":{"n":1}}""", stdout.Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(trace));
        string[] records = await File.ReadAllLinesAsync(trace);
        Assert.Equal(2, records.Length);
        JsonElement first = JsonDocument.Parse(records[0]).RootElement;
        Assert.Equal("client->agent", first.GetProperty("dir").GetString());
        Assert.Equal(1, first.GetProperty("msg").GetProperty("params").GetProperty("n").GetInt32());
        Assert.True(DateTimeOffset.TryParse(first.GetProperty("ts").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("agent->client", JsonDocument.Parse(records[1]).RootElement.GetProperty("dir").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Run_BadLogLevel_IsAClearUsageError()
    {
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["run", "--log-level", "loud", "--", "cat"], environment: null, TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("loud", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Run_ForkBeforeCompactNeitherAPercentNorOff_IsAClearUsageError()
    {
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["run", "--fork-before-compact", "soon", "--", "cat"], environment: null, TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("--fork-before-compact takes a percentage of the context window (such as 85) or 'off', not 'soon'", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Run_UnknownOption_IsAUsageErrorOnStderrAndNothingOnStdout()
    {
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["run", "--no-such-option"], environment: null, TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("--no-such-option", stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("Compaction:PollInterval=00:00:00", "Compaction:PollInterval must be above 0")]
    [InlineData("Compaction:PollInterval=-00:00:01", "Compaction:PollInterval must be above 0")]
    [InlineData("Compaction:TranscriptWait=-00:00:01", "Compaction:TranscriptWait must not be negative")]
    [InlineData("Relay:ShutdownGrace=10675199.02:48:05", "Relay timings must not be negative, nor more than a day")]
    [InlineData("Agent:Restart:Delays:0=10675199.00:00:00", "Agent:Restart settings must not be negative, nor more than a day")]
    [InlineData("Agent:InstallTimeout=00:00:00", "Agent:InstallTimeout must be above 0")]
    public async Task Run_TimeSettingTheHostCannotUse_SaysCannotStartNamingIt(string setting, string reason)
    {
        // Each of these was accepted and then crashed the host (the compaction poll at the first turn's end, the
        // shutdown bound's sum, a restart's delay, an install's timeout) or went unnoticed.
        using var data = new TempDirectory("acphost-badtime");
        const string agent = "read l; echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"stopReason\":\"end_turn\"}}'; cat >/dev/null";

        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["run", "--data-dir", data.Path, "--set", setting, "--", "sh", "-c", agent], environment: null, TimeSpan.FromSeconds(30),
            stdin: """{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{"sessionId":"s","prompt":[]}}""" + "\n");

        Assert.True(exitCode == 2, $"exit code {exitCode}; stderr:\n{stderr}");
        Assert.Equal("", stdout);
        Assert.Contains("Cannot start: ", stderr, StringComparison.Ordinal);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Run_AppSettingsNotJson_SaysCannotStartWithTheFileAndTheReason()
    {
        using var copy = new TempDirectory("acphost-badsettings");
        using var data = new TempDirectory("acphost-badsettings-data");
        string hostDll = HostCommand.CopyWithAppSettings(copy.Path, """{"Agent": {"Version": "1.0.0",}""");

        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(
            ["run", "--data-dir", data.Path, "--", "cat"], environment: null, TimeSpan.FromSeconds(30), hostDll: hostDll);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("Cannot start: ", stderr, StringComparison.Ordinal);
        Assert.Contains("appsettings.json", stderr, StringComparison.Ordinal);
        Assert.Contains("LineNumber", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Run_SerilogSectionWithFileSinkAndOverride_WritesThatFileFilteredByTheOverride()
    {
        using var copy = new TempDirectory("acphost-serilog");
        using var data = new TempDirectory("acphost-serilog-data");
        string extra = Path.Combine(data.Path, "extra.log");
        string settings = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Serilog"] = new Dictionary<string, object>
            {
                ["MinimumLevel"] = new Dictionary<string, object> { ["Override"] = new Dictionary<string, string> { ["AcpHost.Relay"] = "Error" } },
                ["WriteTo"] = new[] { new Dictionary<string, object> { ["Name"] = "File", ["Args"] = new Dictionary<string, string> { ["path"] = extra } } },
            },
        });
        string hostDll = HostCommand.CopyWithAppSettings(copy.Path, settings);

        var (exitCode, _, stderr) = await HostCommand.RunAsync(
            ["run", "--data-dir", data.Path, "--log-level", "debug", "--", "cat"], environment: null, TimeSpan.FromSeconds(30),
            stdin: """{"jsonrpc":"2.0","method":"hello"}""" + "\n", hostDll: hostDll);

        // The relay logs "Agent exited (code 0)" at Information on every run (see the stderr of the other tests); the
        // override holds AcpHost.Relay to Error, in the added file sink and on stderr alike.
        Assert.Equal(0, exitCode);
        string written = await File.ReadAllTextAsync(extra);
        Assert.Contains("AcpHost.Agent.AgentLauncher: Agent started", stderr, StringComparison.Ordinal);
        Assert.Contains("Relay ended (\"ClientClosed\")", written, StringComparison.Ordinal); // the File sink's default template quotes strings
        Assert.DoesNotContain("Agent exited (code 0)", written, StringComparison.Ordinal);
        Assert.DoesNotContain("Agent exited (code 0)", stderr, StringComparison.Ordinal);
    }
}
