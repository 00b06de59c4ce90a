using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Relay;

/// <summary>
/// The agent's rows of protocol/bad-input.md that RelayBadInputTests, RelayIdSpaceTests and RelayLifecycleTests do not
/// already prove: each bad input is dropped or answered as the table says, and the next message still flows.
/// </summary>
public class AgentBadInputTableTests
{
    private const int Timeout = 15_000;
    private const string Alive = """{"jsonrpc":"2.0","method":"still/alive"}""";

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    [Fact(Timeout = Timeout)]
    public async Task AgentRequests_WithDuplicateIdsInFlight_AreBothForwardedForTheClientToJudge()
    {
        await using var harness = new RelayHarness();
        const string first = """{"jsonrpc":"2.0","id":0,"method":"session/request_permission","params":{"n":1}}""";
        const string second = """{"jsonrpc":"2.0","id":0,"method":"session/request_permission","params":{"n":2}}""";

        await harness.Agent.SayAsync(first);
        await harness.Agent.SayAsync(second);

        Assert.Equal(first, await harness.ToClient.NextAsync());
        Assert.Equal(second, await harness.ToClient.NextAsync());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"text":"cut here""")]
    [InlineData("""[{"jsonrpc":"2.0","method":"session/update"}]""")]
    [InlineData("""{"jsonrpc":"1.0","method":"session/update"}""")]
    [InlineData("""{"method":"session/update"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1.5,"method":"fs/read_text_file"}""")]
    [InlineData("\"a string\"")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}{\"jsonrpc\":\"2.0\",\"method\":\"y\"}")]
    public async Task AgentBadLine_IsLoggedAndDroppedAndTheNextLineFlows(string bad)
    {
        await using var harness = new RelayHarness();

        await harness.Agent.SayAsync(bad);
        await harness.Agent.SayAsync(Alive);

        Assert.Equal(Alive, await harness.ToClient.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Dropped a line from the agent"));
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentInvalidUtf8_IsLoggedAndDropped()
    {
        await using var harness = new RelayHarness();

        await harness.Agent.SayRawAsync([.. """{"jsonrpc":"2.0","method":"session/update","params":{"t":" """u8, 0xC3, 0x28, .. "\"}}\n"u8]);
        await harness.Agent.SayAsync(Alive);

        Assert.Equal(Alive, await harness.ToClient.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "not valid UTF-8"));
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentTruncatedResponse_TheClientsRequestGetsAnErrorInsteadOfHanging()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":4,"method":"session/prompt","params":{}}""");
        await harness.Agent.ReadFromRelay.NextAsync();

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":4,"result":{"stopRea""");
        await harness.Agent.SayAsync(Alive);

        System.Text.Json.JsonElement error = System.Text.Json.JsonDocument.Parse(await harness.ToClient.NextAsync()).RootElement;
        Assert.Equal((4, -32603), (error.GetProperty("id").GetInt32(), error.GetProperty("error").GetProperty("code").GetInt32()));
        Assert.Equal(Alive, await harness.ToClient.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Dropped a line from the agent"));
        Assert.Equal(0, harness.Relay.Pending.Count);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"1.0","id":"q-1","method":"fs/read_text_file","params":{}}""", "q-1")]
    [InlineData("""{"jsonrpc":"2.0","id":"q-2","method":"fs/read_text_file","params":{"path":""", "q-2")]
    public async Task AgentMalformedRequest_TheAgentGetsAnInvalidRequestError(string request, string id)
    {
        await using var harness = new RelayHarness();

        await harness.Agent.SayAsync(request);
        await harness.Agent.SayAsync(Alive);

        System.Text.Json.JsonElement error = System.Text.Json.JsonDocument.Parse(await harness.Agent.ReadFromRelay.NextAsync()).RootElement;
        Assert.Equal(id, error.GetProperty("id").GetString());
        Assert.True(error.GetProperty("error").GetProperty("code").GetInt32() is -32600 or -32700);
        Assert.Equal(Alive, await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task AgentSixtyFourMebibyteLine_PassesWhole()
    {
        await using var harness = new RelayHarness(relayToClientOptions: new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
        byte[] line = BigLines.Notification(64 * 1024 * 1024);
        harness.Log.Entries.Clear();

        Task writing = harness.Agent.SayRawAsync(line);
        byte[]? received = await harness.ToClient.ReadLineBytesAsync(TimeSpan.FromSeconds(45));
        await writing;

        Assert.NotNull(received);
        Assert.True(received.AsSpan().SequenceEqual(line.AsSpan(0, line.Length - 1)));
        await harness.Agent.SayAsync(Alive);
        Assert.Equal(Alive, await harness.ToClient.NextAsync());
    }
}
