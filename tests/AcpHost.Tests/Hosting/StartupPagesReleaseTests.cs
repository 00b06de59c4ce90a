using AcpHost.Hosting;
using AcpHost.Relay.Platform;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Hosting;

/// <summary>
/// When <see cref="StartupPagesRelease"/> gives the start-up pages back: once, the first time the relay is idle after the
/// client's first message (no message for a tick, no client request waiting for the agent), never while a slow agent
/// works on a request, nor while the host is still starting.
/// </summary>
public sealed class StartupPagesReleaseTests
{
    private const int Timeout = 20_000;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    // Absence is watched for many ticks: a release that ignored what it must wait for would come within a few.
    private static readonly TimeSpan Watch = TimeSpan.FromMilliseconds(400);

    private int _releases;

    private StartupPagesRelease Release(RelayCounters counters) =>
        new(counters, new ListLogger<StartupPagesRelease>(), Tick, () =>
        {
            Interlocked.Increment(ref _releases);
            return new ImagePagesReleased(1, 4096);
        });

    /// <summary>A relay whose agent has the client's <c>initialize</c> and has not answered it.</summary>
    private static async Task<RelayHarness> InitializeInFlightAsync()
    {
        var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":1}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        return harness;
    }

    [Fact(Timeout = Timeout)]
    public async Task NothingFromTheClientYet_WaitsForIt()
    {
        await using var harness = new RelayHarness();
        using StartupPagesRelease release = Release(harness.Relay.Counters);

        await release.StartAsync(CancellationToken.None);

        Assert.True(await Conditions.HoldsForAsync(() => Volatile.Read(ref _releases) == 0, Watch), "released before the client's first message");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"session/cancel","params":{"sessionId":"s1"}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await Conditions.UntilAsync(() => Volatile.Read(ref _releases) == 1, TimeSpan.FromSeconds(10), "the release after the client's first message");
        await release.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, _releases);
    }

    [Fact(Timeout = Timeout)]
    public async Task RequestTheAgentHasNotAnswered_WaitsForTheAnswer()
    {
        await using RelayHarness harness = await InitializeInFlightAsync();
        using StartupPagesRelease release = Release(harness.Relay.Counters);

        await release.StartAsync(CancellationToken.None);

        Assert.True(await Conditions.HoldsForAsync(() => Volatile.Read(ref _releases) == 0, Watch), "released while the agent had a request to answer");
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":1}}""");
        await harness.ToClient.NextAsync();
        await Conditions.UntilAsync(() => Volatile.Read(ref _releases) == 1, TimeSpan.FromSeconds(10), "the release after the answer");
    }

    [Fact(Timeout = Timeout)]
    public async Task StoppedBeforeIdle_ReleasesNothingAndEndsQuietly()
    {
        await using RelayHarness harness = await InitializeInFlightAsync();
        using StartupPagesRelease release = Release(harness.Relay.Counters);
        await release.StartAsync(CancellationToken.None);

        await release.StopAsync(CancellationToken.None);

        // Ended, or never begun: .NET 10 runs ExecuteAsync through Task.Run, which a stop that comes first cancels.
        Task execute = release.ExecuteTask!;
        await Task.WhenAny(execute).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(execute.IsFaulted, execute.Exception?.ToString());
        Assert.Equal(0, _releases);
    }
}
