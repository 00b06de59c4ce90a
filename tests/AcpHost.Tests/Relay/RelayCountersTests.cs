using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

/// <summary>What the relay's counters tell whoever waits for it to be idle.</summary>
public sealed class RelayCountersTests
{
    private const int Timeout = 20_000;

    [Fact(Timeout = Timeout)]
    public async Task RequestsInFlight_ClientRequestUntilTheAgentAnswers()
    {
        await using var harness = new RelayHarness();
        Assert.Equal(0, harness.Relay.Counters.RequestsInFlight);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/new","params":{"cwd":"/w","mcpServers":[]}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        Assert.Equal(1, harness.Relay.Counters.RequestsInFlight);
        Assert.Equal(1, harness.Relay.Counters.ClientMessages);

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{"sessionId":"s1"}}""");
        await harness.ToClient.NextAsync();
        Assert.Equal(0, harness.Relay.Counters.RequestsInFlight);
        Assert.Equal(1, harness.Relay.Counters.AgentMessages);
    }
}
