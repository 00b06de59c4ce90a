using System.Text.Json;
using AcpHost.Control;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Control;

public sealed class ForkSessionCommandTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("ah-").FullName;

    private string Run => Path.Combine(_dataDir, "run");

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        InProcessCli.RunAsync(["fork", "--data-dir", _dataDir, .. arguments], ControlSamples.NoRuntimeDir);

    private (FakeControlServer Other, FakeControlServer Relay) StartTwoHosts()
    {
        var other = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        var relay = FakeControlServer.Start(Run, ControlSamples.Host(4243, _dataDir, [new() { SessionId = "s-live", Cwd = "/work/app" }]));
        relay.ForkedSessionId = "s-child";
        return (other, relay);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_SessionOfALiveHost_AsksThatHostAndPrintsTheNewId()
    {
        (FakeControlServer other, FakeControlServer relay) = StartTwoHosts();
        await using (other)
        await using (relay)
        {
            (int exitCode, string stdout, string stderr) = await RunAsync("s-live");

            Assert.Equal(0, exitCode);
            Assert.Equal("", stderr);
            Assert.Equal("s-child\n", stdout);
            Assert.Empty(other.ForkRequests);
            ControlForkParams sent = Assert.Single(relay.ForkRequests);
            Assert.Equal("s-live", sent.SessionId);
            Assert.Null(sent.MessageId);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_MessageIdAndJson_SendsTheMessageIdAndPrintsSessionAndParent()
    {
        (FakeControlServer other, FakeControlServer relay) = StartTwoHosts();
        await using (other)
        await using (relay)
        {
            (int exitCode, string stdout, _) = await RunAsync("s-live", "--message-id", "msg-3", "--json");

            Assert.Equal(0, exitCode);
            Assert.Equal("""{"sessionId":"s-child","parentSessionId":"s-live"}""" + "\n", stdout);
            Assert.Equal("msg-3", Assert.Single(relay.ForkRequests).MessageId);
            using JsonDocument parsed = JsonDocument.Parse(stdout);
            Assert.Equal("s-child", parsed.RootElement.GetProperty("sessionId").GetString());
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_NoLiveHostRelaysTheSession_ExitsTwoWithAMessage()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        FakeControlServer.LeaveStaleSocket(Run, 999_007);

        (int exitCode, string stdout, string stderr) = await RunAsync("s-unknown");

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal("acphost: no running AcpHost relays session s-unknown (1 running host found; 'acphost ps' lists their sessions)\n", stderr);
        Assert.Empty(host.ForkRequests);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_NoHostAtAll_ExitsTwo()
    {
        (int exitCode, string stdout, string stderr) = await RunAsync("s-root");

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("no running AcpHost relays session s-root (0 running hosts found", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_AgentRefuses_ExitsOneWithItsMessage()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        host.ForkError = """{"code":-32603,"message":"Internal error: cannot fork while a prompt is running"}""";

        (int exitCode, string stdout, string stderr) = await RunAsync("s-root");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal("acphost: the fork of s-root failed: Internal error: cannot fork while a prompt is running (error -32603)\n", stderr);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_AgentRefusesWithResourceNotFound_SaysTheAgentsReasonNotThatNoHostRelaysIt()
    {
        // A live session never prompted has no transcript yet: the agent answers session/fork with -32002, the code a
        // host uses for a session it does not relay. Only the host's own refusal (data.reason) means "not relayed".
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir, [new() { SessionId = "s-new", Cwd = "/work" }]));
        host.ForkError = """{"code":-32002,"message":"Resource not found","data":{"uri":"s-new"}}""";

        (int exitCode, string stdout, string stderr) = await RunAsync("s-new");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal("acphost: the fork of s-new failed: Resource not found (error -32002)\n", stderr);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_SessionGoneBeforeTheFork_ExitsTwo()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        host.ForkError = """{"code":-32002,"message":"Session s-root is not relayed by this host","data":{"sessionId":"s-root","reason":"not_relayed"}}""";

        (int exitCode, _, string stderr) = await RunAsync("s-root");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("acphost: no running AcpHost relays session s-root", stderr, StringComparison.Ordinal);
    }
}
