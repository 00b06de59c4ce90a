using System.Text.Json;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Fork;

/// <summary>
/// A fork the agent never answers holds up nothing but itself: the client's other traffic flows, the wait is bounded,
/// and a stop answers everything.
/// </summary>
public sealed class ForkWithoutAnswerTests
{
    private const int Timeout = 20_000;

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    private static RelayHarness Start(RelayOptions? options = null)
    {
        var sessions = new SessionRegistry();
        var forks = new ForkService(sessions, TimeProvider.System);
        IMessageInterceptor[] interceptors =
        [
            new SessionTracker(sessions, TimeProvider.System, new ListLogger<SessionTracker>()),
            new ForkCommand(forks, new ListLogger<ForkCommand>()),
            new ForkMethod(forks),
        ];
        return new RelayHarness(interceptors, options);
    }

    private static async Task OpenSessionAsync(RelayHarness harness)
    {
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"new","method":"session/new","params":{"cwd":"/work","mcpServers":[]}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":"new","result":{"sessionId":"parent"}}""");
        await harness.ToClient.NextAsync();
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"_acphost/session/fork","params":{"sessionId":"parent"}}""")]
    public async Task Fork_AgentNeverAnswers_OtherTrafficFlowsAndAStopAnswersBoth(string fork)
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);

        await harness.ClientSayAsync(fork);
        Assert.Equal("session/fork", Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("method").GetString());
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":6,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"hi"}]}}""");

        // No head-of-line blocking: the next request reaches the agent while the fork waits.
        Assert.Equal(6, Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetInt32());

        harness.Stop();

        await harness.OutcomeAsync();
        List<JsonElement> answers = [.. (await harness.ToClient.ReadToEndAsync()).Select(Parse)];
        Assert.Equal([5, 6], answers.Where(a => a.TryGetProperty("error", out _)).Select(a => a.GetProperty("id").GetInt32()).Order());
    }

    [Fact(Timeout = Timeout)]
    public async Task Fork_AgentNeverAnswers_TheWaitIsBoundedAndThePromptGetsAnError()
    {
        await using RelayHarness harness = Start(new RelayOptions { HostRequestTimeout = TimeSpan.FromMilliseconds(500), ShutdownGrace = TimeSpan.FromSeconds(2), DrainTimeout = TimeSpan.FromSeconds(1) });
        await OpenSessionAsync(harness);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":5,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""");
        string forkId = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;

        JsonElement answer = Parse(await harness.ToClient.NextAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(5, answer.GetProperty("id").GetInt32());
        Assert.Equal(-32603, answer.GetProperty("error").GetProperty("code").GetInt32());

        // The agent is told the host stopped waiting.
        JsonElement cancel = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal("$/cancel_request", cancel.GetProperty("method").GetString());
        Assert.Equal(forkId, cancel.GetProperty("params").GetProperty("requestId").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Fork_AgentNeverAnswers_ClientClosesInput_RelayEndsAndThePromptGetsAnError()
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":5,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""");
        Assert.Equal("session/fork", Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("method").GetString());

        await harness.ClientCloseAsync();

        Assert.Equal(RelayEnd.ClientClosed, (await harness.OutcomeAsync()).End);
        JsonElement answer = Parse(Assert.Single(await harness.ToClient.ReadToEndAsync()));
        Assert.Equal(5, answer.GetProperty("id").GetInt32());
        Assert.Equal(-32603, answer.GetProperty("error").GetProperty("code").GetInt32());
    }
}
