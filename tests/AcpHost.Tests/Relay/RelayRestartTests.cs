using System.Text.Json;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

public class RelayRestartTests
{
    private const int Timeout = 20_000;

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    /// <summary>A recovery that hands out scripted fake agents and records what it was asked to restore.</summary>
    private sealed class ScriptedRecovery(int restarts) : IAgentRecovery
    {
        private int _left = restarts;

        public List<FakeAgentConnection> Started { get; } = [];

        public List<AgentRestart> Restored { get; } = [];

        public TaskCompletionSource RestoreGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set once the restore has re-initialized the new agent and waits at <see cref="RestoreGate"/>.</summary>
        public TaskCompletionSource AtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan? NextRestartDelay(AgentExit lastExit) => Interlocked.Decrement(ref _left) >= 0 ? TimeSpan.FromMilliseconds(10) : null;

        public Task<IAgentConnection> StartAgentAsync(CancellationToken cancellationToken)
        {
            var agent = new FakeAgentConnection();
            Started.Add(agent);
            return Task.FromResult<IAgentConnection>(agent);
        }

        public async Task RestoreAsync(IRelayOutlet relay, AgentRestart restart, CancellationToken cancellationToken)
        {
            Restored.Add(restart);
            Task<AgentResponse> initialize = relay.RequestAgentAsync("initialize", """{"protocolVersion":1}"""u8.ToArray(), cancellationToken);
            FakeAgentConnection agent = Started[^1];
            string request = await agent.ReadFromRelay.NextAsync();
            string id = Parse(request).GetProperty("id").GetString()!;
            await agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"protocolVersion\":1}}");
            await initialize;
            AtGate.TrySetResult();
            await RestoreGate.Task.WaitAsync(cancellationToken);
            await relay.NotifyClientAsync("_acphost/agent_restarted", """{"attempt":1}"""u8.ToArray(), cancellationToken);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentDies_PendingRequestFailsThenANewAgentTakesTheHeldMessages()
    {
        var recovery = new ScriptedRecovery(restarts: 1);
        var first = new FakeAgentConnection();
        await using var harness = new RelayHarness(agent: first, recovery: recovery);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""");
        await first.ReadFromRelay.NextAsync();

        await first.DieAsync(137, "killed");

        // The prompt in flight gets its error...
        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal((1, -32603), (error.GetProperty("id").GetInt32(), error.GetProperty("error").GetProperty("code").GetInt32()));

        // ...and what the client sends while the new agent is being restored waits for it.
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":2,"method":"session/prompt","params":{"again":true}}""");

        // Only the restore reads the new agent until it waits at its gate: the test reads it after that.
        await recovery.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1), (recovery.Started.Count, recovery.Restored.Count));
        FakeAgentConnection second = recovery.Started[0];
        recovery.RestoreGate.SetResult();

        Assert.Equal("""{"jsonrpc":"2.0","id":2,"method":"session/prompt","params":{"again":true}}""", await second.ReadFromRelay.NextAsync());
        Assert.Equal("_acphost/agent_restarted", Parse(await harness.ToClient.NextAsync()).GetProperty("method").GetString());
        await second.SayAsync("""{"jsonrpc":"2.0","id":2,"result":{"stopReason":"end_turn"}}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":2,"result":{"stopReason":"end_turn"}}""", await harness.ToClient.NextAsync());
        Assert.Equal(137, recovery.Restored[0].PreviousExit.ExitCode);
        Assert.False(harness.Run.IsCompleted);
    }

    [Fact(Timeout = Timeout)]
    public async Task RestartsExhausted_TheRelayEndsAndWaitingRequestsGetErrors()
    {
        var recovery = new ScriptedRecovery(restarts: 0);
        var first = new FakeAgentConnection();
        await using var harness = new RelayHarness(agent: first, recovery: recovery);

        await first.DieAsync(3);

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.AgentLost, outcome.End);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Empty(recovery.Started);
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientClosesDuringTheRestart_TheRelayStillEnds()
    {
        var recovery = new ScriptedRecovery(restarts: 1);
        var first = new FakeAgentConnection();
        await using var harness = new RelayHarness(agent: first, recovery: recovery);

        await first.DieAsync(1);
        await recovery.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(10));
        recovery.RestoreGate.SetResult();
        await harness.ClientCloseAsync();

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.ClientClosed, outcome.End);
    }
}
