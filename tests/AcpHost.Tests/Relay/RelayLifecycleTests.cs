using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

public class RelayLifecycleTests
{
    private const int Timeout = 20_000;

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    [Fact(Timeout = Timeout)]
    public async Task AgentDies_PendingRequestsGetErrorsWithExitCodeAndStderr()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"acphost:1","method":"session/prompt","params":{}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"last":true}}""");

        await harness.Agent.DieAsync(3, "TypeError: boom", "    at somewhere");

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.AgentLost, outcome.End);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal(2, outcome.UnansweredRequests);
        List<string> lines = await harness.ToClient.ReadToEndAsync();
        Assert.Equal("""{"jsonrpc":"2.0","method":"session/update","params":{"last":true}}""", lines[0]);
        var errors = lines.Skip(1).Select(Parse).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, error =>
        {
            Assert.Equal(-32603, error.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(3, error.GetProperty("error").GetProperty("data").GetProperty("exitCode").GetInt32());
            Assert.Equal("TypeError: boom", error.GetProperty("error").GetProperty("data").GetProperty("stderr")[0].GetString());
        });
        Assert.Contains(errors, error => error.GetProperty("id").ValueKind == JsonValueKind.Number && error.GetProperty("id").GetInt32() == 1);
        Assert.Contains(errors, error => error.GetProperty("id").ValueKind == JsonValueKind.String && error.GetProperty("id").GetString() == "acphost:1");
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentDies_HostRequestsFailWithAgentUnavailable()
    {
        await using var harness = new RelayHarness();
        Task<AgentResponse> call = harness.Relay.RequestAgentAsync("session/fork", "{}"u8.ToArray(), CancellationToken.None);
        await harness.Agent.ReadFromRelay.NextAsync();

        await harness.Agent.DieAsync(1);

        await Assert.ThrowsAsync<AgentUnavailableException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientClosesInput_AgentInputClosesAndItsLastOutputIsDelivered()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""");
        Assert.NotNull(await harness.Agent.ReadFromRelay.ReadLineAsync());
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{"stopReason":"end_turn"}}""");

        await harness.ClientCloseAsync();

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.ClientClosed, outcome.End);
        Assert.Equal(0, outcome.ExitCode);
        Assert.False(harness.Agent.WasKilled);
        Assert.Equal(["""{"jsonrpc":"2.0","id":1,"result":{"stopReason":"end_turn"}}"""], await harness.ToClient.ReadToEndAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientClosesInput_AgentThatIgnoresIt_IsKilledAfterTheGrace()
    {
        var agent = new FakeAgentConnection { ExitWhenInputCloses = false };
        await using var harness = new RelayHarness(agent: agent, options: new RelayOptions { ShutdownGrace = TimeSpan.FromMilliseconds(300), DrainTimeout = TimeSpan.FromMilliseconds(300) });

        await harness.ClientCloseAsync();

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.True(agent.WasKilled);
        Assert.Equal(RelayEnd.ClientClosed, outcome.End);
        Assert.Equal(0, outcome.ExitCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task StopRequested_AgentNotReadingItsInput_StillEndsAfterTheGrace()
    {
        // The agent reads nothing, so the relay's writes to it block once 16 KiB are buffered.
        var small = new PipeOptions(pauseWriterThreshold: 16 * 1024, resumeWriterThreshold: 8 * 1024);
        var agent = new FakeAgentConnection(fromRelayOptions: small) { ExitWhenInputCloses = false };
        var options = new RelayOptions { ShutdownGrace = TimeSpan.FromMilliseconds(300), DrainTimeout = TimeSpan.FromMilliseconds(300) };
        await using var harness = new RelayHarness(agent: agent, options: options);
        string line = $$$"""{"jsonrpc":"2.0","method":"x","params":"{{{new string('p', 1000)}}}"}""";
        // 40 KB: enough to fill the agent's 16 KiB, not enough to fill the client's own pipe (64 KiB) behind the stuck
        // relay, where the test's next write could wait for ever (with 100 lines it could; one run in about 17 failed, likely so).
        for (int i = 0; i < 40; i++)
        {
            await harness.ClientSayAsync(line);
        }

        await Conditions.UntilAsync(() => agent.RelayWaitsToWrite, TimeSpan.FromSeconds(10), "the relay blocked on the agent's full input");
        harness.Stop();

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.Stopped, outcome.End);
        Assert.True(agent.WasKilled);
    }

    [Fact(Timeout = Timeout)]
    public async Task StopRequested_ShutsDownGracefullyAndAnswersWhatIsPending()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":8,"method":"session/prompt","params":{}}""");
        await harness.Agent.ReadFromRelay.NextAsync();

        harness.Stop();

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.Stopped, outcome.End);
        Assert.Equal(0, outcome.ExitCode);
        JsonElement error = Parse(Assert.Single(await harness.ToClient.ReadToEndAsync()));
        Assert.Equal(8, error.GetProperty("id").GetInt32());
        Assert.Equal(-32603, error.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentClosesOutputButKeepsRunning_IsTreatedAsLostAndEnded()
    {
        var agent = new FakeAgentConnection { ExitWhenInputCloses = false };
        await using var harness = new RelayHarness(agent: agent, options: new RelayOptions { ShutdownGrace = TimeSpan.FromMilliseconds(200), DrainTimeout = TimeSpan.FromMilliseconds(200) });
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":2,"method":"session/prompt","params":{}}""");
        await agent.ReadFromRelay.NextAsync();

        await agent.AgentStdout.CompleteAsync();

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.AgentLost, outcome.End);
        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Equal(2, Parse(Assert.Single(await harness.ToClient.ReadToEndAsync())).GetProperty("id").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task RequestsAfterTheAgentIsGone_AreAnsweredAtOnce()
    {
        await using var harness = new RelayHarness();
        await harness.Agent.DieAsync(9);
        await harness.OutcomeAsync();

        // The relay has ended; a late request must still not disappear silently if the pump is still reading.
        Assert.Equal(0, harness.Relay.Pending.Count);
        Assert.False(harness.Relay.Pending.TryAdd(new PendingRequest(new(1), new(1), "x")));
    }

    [Fact(Timeout = Timeout)]
    public async Task SlowClient_BackpressureReachesTheAgentInsteadOfBuffering()
    {
        // The client reads nothing; its pipe holds at most 64 KiB. The agent's own pipe holds at most 64 KiB more.
        var small = new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024);
        var agent = new FakeAgentConnection(small);
        await using var harness = new RelayHarness(agent: agent, relayToClientOptions: small);
        byte[] line = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"session/update","params":{"t":"{{{new string('x', 1000)}}}"}}""" + "\n");

        long written = 0;
        Task flooding = Task.Run(async () =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                await agent.AgentStdout.WriteAsync(line);
                Interlocked.Add(ref written, line.Length);
            }
        });

        // Both ends held back at once is a standstill: the relay waits on the client's full pipe and so reads nothing
        // more from the agent, whose write waits on its own full pipe. A relay that queued instead would never get
        // there (the agent would finish its 10 MB), and this wait would fail.
        await Conditions.UntilAsync(() => harness.RelayWaitsForClient && agent.WaitsForRelay, TimeSpan.FromSeconds(10), "the agent held back by a client that reads nothing");
        long stalledAt = Interlocked.Read(ref written);

        // The agent is stuck well short of its 10 MB: the relay stopped reading instead of queueing.
        Assert.False(flooding.IsCompleted);
        Assert.True(stalledAt < 1024 * 1024, $"the agent got {stalledAt} bytes out before being held back");

        // Once the client reads, everything arrives, in order, and the agent finishes.
        int received = 0;
        while (received < 10_000)
        {
            Assert.NotNull(await harness.ToClient.ReadLineBytesAsync());
            received++;
        }

        await flooding.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
