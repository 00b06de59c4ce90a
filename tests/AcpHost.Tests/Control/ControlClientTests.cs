using System.Text.Json;
using AcpHost.Control;

namespace AcpHost.Tests.Control;

public sealed class ControlClientTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("ah-").FullName;

    private string Run => Path.Combine(_dir, "run");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact(Timeout = Timeout)]
    public async Task StatusAsync_LiveHost_ReturnsItsStatus()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath);

        HostStatus status = await client.StatusAsync();

        Assert.Equal(4242, status.Pid);
        Assert.Equal(4250, status.AgentPid);
        Assert.Equal("claude-agent-acp 0.9.0", status.Agent);
        Assert.Equal(_dir, status.DataDir);
        Assert.Equal(3725.4, status.UptimeSeconds);
        Assert.Equal(["s-root", "s-fork-a"], status.Sessions.Select(session => session.SessionId));
        Assert.Equal(150_000, status.Sessions[0].UsedTokens);
        Assert.Equal("pre-compact", status.Sessions[1].ForkReason);
    }

    [Fact(Timeout = Timeout)]
    public async Task StatusAsync_OverlappingRequests_EachGetsAnAnswer()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath);

        HostStatus[] answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.StatusAsync()));

        Assert.All(answers, status => Assert.Equal(4242, status.Pid));
    }

    [Fact(Timeout = Timeout)]
    public async Task ForkAsync_HostForks_ReturnsTheNewSessionAndSendsTheParams()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        host.ForkedSessionId = "s-new";
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath);

        ControlForkResult result = await client.ForkAsync("s-root", "msg-7");

        Assert.Equal("s-new", result.SessionId);
        Assert.Equal("s-root", result.ParentSessionId);
        ControlForkParams sent = Assert.Single(host.ForkRequests);
        Assert.Equal("s-root", sent.SessionId);
        Assert.Equal("msg-7", sent.MessageId);
    }

    [Fact(Timeout = Timeout)]
    public async Task ForkAsync_ErrorAnswer_ThrowsControlErrorExceptionWithCodeMessageAndData()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        host.ForkError = """{"code":-32002,"message":"Session s-gone is not relayed by this host","data":{"sessionId":"s-gone"}}""";
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath);

        var error = await Assert.ThrowsAsync<ControlErrorException>(() => client.ForkAsync("s-gone", null));

        Assert.Equal(ControlErrorCodes.SessionNotFound, error.Code);
        Assert.Equal("Session s-gone is not relayed by this host", error.Message);
        Assert.Equal("s-gone", error.ErrorData!.Value.GetProperty("sessionId").GetString());
        Assert.Null(Assert.Single(host.ForkRequests).MessageId);
    }

    [Fact(Timeout = Timeout)]
    public async Task SubscribeAsync_HostSendsEvents_YieldsMethodAndParamsInOrderUntilTheHostCloses()
    {
        var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath);
        var received = new List<(string Method, JsonElement Params)>();
        Task reading = Task.Run(async () =>
        {
            await foreach ((string Method, JsonElement Params) notification in client.SubscribeAsync())
            {
                received.Add(notification);
            }
        });
        await host.WaitForSubscribersAsync();

        await host.PublishAsync(ControlMethods.UsageEventName, """{"sessionId":"s-root","usedTokens":1,"contextWindow":10,"at":"2026-03-01T09:00:00Z"}""");
        await host.PublishAsync(ControlMethods.ForkEventName, """{"sessionId":"s-b","parentSessionId":"s-root","reason":"control","at":"2026-03-01T09:00:01Z"}""");
        await host.PublishAsync("event/future", """{"x":1}""");
        await host.DisposeAsync();
        await reading;

        Assert.Equal([ControlMethods.UsageEventName, ControlMethods.ForkEventName, "event/future"], received.Select(notification => notification.Method));
        Assert.Equal(10, received[0].Params.GetProperty("contextWindow").GetInt64());
        Assert.Equal("control", received[1].Params.GetProperty("reason").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task SubscribeAsync_Cancelled_StopsWithOperationCanceled()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath);
        using var cancel = new CancellationTokenSource();
        IAsyncEnumerator<(string, JsonElement)> events = client.SubscribeAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        ValueTask<bool> next = events.MoveNextAsync();
        await host.WaitForSubscribersAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        await events.DisposeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task ConnectAsync_SocketLeftByADeadHost_ThrowsStaleControlSocketException()
    {
        string stale = FakeControlServer.LeaveStaleSocket(Run, 999_001);

        var error = await Assert.ThrowsAsync<StaleControlSocketException>(() => ControlClient.ConnectAsync(stale));

        Assert.Equal(stale, error.SocketPath);
    }

    [Fact(Timeout = Timeout)]
    public async Task ConnectAsync_NoSocketFile_ThrowsStaleControlSocketException()
    {
        string missing = Path.Combine(Run, "999002.sock");

        await Assert.ThrowsAsync<StaleControlSocketException>(() => ControlClient.ConnectAsync(missing));
    }

    [Fact(Timeout = Timeout)]
    public async Task StatusAsync_HostNeverAnswers_ThrowsTimeoutException()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir), silent: true);
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.StatusAsync());

        Assert.Contains(ControlMethods.Status, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task StatusAsync_HostHangsUp_ThrowsIOExceptionBeforeTheTimeout()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir), hangUp: true);
        await using ControlClient client = await ControlClient.ConnectAsync(host.SocketPath, TimeSpan.FromSeconds(30));

        Task<HostStatus> status = client.StatusAsync();

        Assert.Same(status, await Task.WhenAny(status, Task.Delay(TimeSpan.FromSeconds(10))));
        await Assert.ThrowsAsync<IOException>(() => status);
    }

    [Fact(Timeout = Timeout)]
    public async Task DiscoverAsync_LiveStaleAndSilentSockets_ReturnsOnlyTheLiveHosts()
    {
        await using var first = FakeControlServer.Start(Run, ControlSamples.Host(4243, _dir));
        await using var second = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        await using var silent = FakeControlServer.Start(Run, ControlSamples.Host(4244, _dir), silent: true);
        FakeControlServer.LeaveStaleSocket(Run, 999_003);
        await File.WriteAllTextAsync(Path.Combine(Run, "999004.sock"), "not a socket");

        IReadOnlyList<(string SocketPath, HostStatus Status)> hosts = await ControlClient.DiscoverAsync(_dir, ControlSamples.NoRuntimeDir);

        // Oldest first: the samples start at T0 plus pid % 1000 seconds.
        Assert.Equal([4242, 4243], hosts.Select(host => host.Status.Pid));
        Assert.Equal([second.SocketPath, first.SocketPath], hosts.Select(host => host.SocketPath));
    }

    [Fact(Timeout = Timeout)]
    public async Task DiscoverAsync_NoRunFolder_ReturnsNothing()
    {
        IReadOnlyList<(string SocketPath, HostStatus Status)> hosts = await ControlClient.DiscoverAsync(_dir, ControlSamples.NoRuntimeDir);

        Assert.Empty(hosts);
    }

    [Fact(Timeout = Timeout)]
    public async Task DisposeAsync_CalledTwice_IsHarmless()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dir));
        ControlClient client = await ControlClient.ConnectAsync(host.SocketPath);

        await client.DisposeAsync();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.StatusAsync());
    }
}
