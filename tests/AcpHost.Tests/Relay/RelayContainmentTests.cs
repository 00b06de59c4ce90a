using System.Text;
using System.Text.Json;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Relay;

/// <summary>
/// Lines that are valid but hostile, and floods of bad ones: each is contained to itself and costs a bounded amount of
/// log and memory; the relay goes on.
/// </summary>
public class RelayContainmentTests
{
    private const int Timeout = 20_000;

    [Fact(Timeout = Timeout)]
    public async Task CancelRequest_WithALoneSurrogateRequestId_IsForwardedAndTheRelayGoesOn()
    {
        await using var harness = new RelayHarness();
        const string cancel = """{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"\ud800"}}""";

        await harness.ClientSayAsync(cancel);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""");

        // The agent reads the cancel as JSON.parse does (a string holding half a surrogate pair): it names no request.
        Assert.Equal(cancel, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""", await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{"stopReason":"end_turn"}}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":{"stopReason":"end_turn"}}""", await harness.ToClient.NextAsync());
        Assert.False(harness.Run.IsCompleted);
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentGone_HugeStderrLines_TheErrorQuotesAtMostAFewKibibytes()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        string huge = new('x', 1024 * 1024);

        await harness.Agent.DieAsync(1, "first words", huge, huge, "last words");

        string line = await harness.ToClient.NextAsync();
        Assert.True(line.Length <= 8 * 1024, $"the error is {line.Length} bytes long");
        JsonElement data = JsonDocument.Parse(line).RootElement.GetProperty("error").GetProperty("data");
        Assert.Equal(1, data.GetProperty("exitCode").GetInt32());
        Assert.Equal("last words", data.GetProperty("stderr").EnumerateArray().Last().GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentFloodOfBadLines_WarningsAreRateLimitedAndCounted()
    {
        await using var harness = new RelayHarness();
        var flood = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            flood.Append("G\n");
        }

        await harness.Agent.SayRawAsync(Encoding.UTF8.GetBytes(flood.ToString()));
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"after":"flood"}}""");

        Assert.Equal("""{"jsonrpc":"2.0","method":"session/update","params":{"after":"flood"}}""", await harness.ToClient.NextAsync());
        int dropped = harness.Log.Entries.Count(e => e.Message.StartsWith("Dropped a line from the agent", StringComparison.Ordinal));
        Assert.InRange(dropped, 1, 50);
        Assert.True(harness.Log.Contains(LogLevel.Warning, "not logged"), "the suppressed warnings are not counted anywhere");
    }
}
