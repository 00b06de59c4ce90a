using System.Text.Json;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Control;

public sealed class PsCommandTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("ah-").FullName;

    private string Run => Path.Combine(_dataDir, "run");

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        InProcessCli.RunAsync(["ps", "--data-dir", _dataDir, .. arguments], ControlSamples.NoRuntimeDir);

    [Fact(Timeout = Timeout)]
    public async Task Invoke_TwoLiveHostsAndAStaleSocket_PrintsABlockPerLiveHostWithItsSessions()
    {
        await using var first = FakeControlServer.Start(Run, ControlSamples.Host(4242, "/home/me/.local/share/acphost"));
        await using var second = FakeControlServer.Start(Run, ControlSamples.Host(4243, _dataDir, [new() { SessionId = "s-other", Cwd = "/tmp", CreatedAt = ControlSamples.T0 }]) with
        {
            Agent = null,
            AgentPid = null,
            Cwd = null,
            UptimeSeconds = 42.9,
        });
        FakeControlServer.LeaveStaleSocket(Run, 999_005);

        (int exitCode, string stdout, string stderr) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        string[] expected =
        [
            "AcpHost pid 4242, up 1h 02m",
            "  agent:    claude-agent-acp 0.9.0 (pid 4250)",
            "  cwd:      /work/app",
            "  data dir: /home/me/.local/share/acphost",
            "  socket:   " + first.SocketPath,
            "  session      fork         created (UTC)        compactions              last fill  cwd",
            "  s-root                    2026-03-01 09:00:00            2  150,000/200,000 (75%)  /work/app",
            "  └─ s-fork-a  pre-compact  2026-03-01 10:00:00            0                      –  /work/app",
            "  2 sessions (1 fork), 2 compactions",
            "",
            "AcpHost pid 4243, up 42s",
            "  agent:    not started",
            "  cwd:      –",
            "  data dir: " + _dataDir,
            "  socket:   " + second.SocketPath,
            "  session  fork  created (UTC)        compactions  last fill  cwd",
            "  s-other        2026-03-01 09:00:00            0          –  /tmp",
            "  1 session (0 forks), 0 compactions",
        ];
        Assert.Equal(expected, stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_HostWithoutSessions_SaysSo()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir) with { Sessions = [] });

        (int exitCode, string stdout, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal("  no sessions yet", stdout.TrimEnd('\n').Split('\n')[^1]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_OnlyAStaleSocket_SaysNoHostFound()
    {
        FakeControlServer.LeaveStaleSocket(Run, 999_006);

        (int exitCode, string stdout, string stderr) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        Assert.Equal("No running AcpHost found.\n", stdout);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_PrintsEachHostStatusWithItsSocket()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));

        (int exitCode, string stdout, string stderr) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        JsonElement item = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray());
        Assert.Equal(
            ["pid", "agentPid", "agent", "startedAt", "uptimeSeconds", "dataDir", "cwd", "sessions", "socket"],
            item.EnumerateObject().Select(property => property.Name));
        Assert.Equal(4242, item.GetProperty("pid").GetInt32());
        Assert.Equal(host.SocketPath, item.GetProperty("socket").GetString());
        Assert.Equal(_dataDir, item.GetProperty("dataDir").GetString());
        JsonElement fork = item.GetProperty("sessions")[1];
        Assert.Equal("s-fork-a", fork.GetProperty("sessionId").GetString());
        Assert.Equal("s-root", fork.GetProperty("parentSessionId").GetString());
        Assert.Equal("pre-compact", fork.GetProperty("forkReason").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_JsonWithoutHosts_PrintsAnEmptyArray()
    {
        (int exitCode, string stdout, _) = await RunAsync("--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(stdout).RootElement.ValueKind);
        Assert.Equal(0, JsonDocument.Parse(stdout).RootElement.GetArrayLength());
    }
}
