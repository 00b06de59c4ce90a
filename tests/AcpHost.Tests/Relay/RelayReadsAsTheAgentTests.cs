using System.Text.Json;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Relay;

/// <summary>
/// The relay reads every line as the agent's <c>JSON.parse</c> will (exact-case keys, last duplicate wins, escapes
/// decoded, numbers as doubles): a line the two would read differently must never let the client reach what the host
/// protects.
/// </summary>
public class RelayReadsAsTheAgentTests
{
    private const int Timeout = 15_000;
    private const string Alive = """{"jsonrpc":"2.0","method":"still/alive"}""";

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    /// <summary>The value <c>JSON.parse</c> gives a member: the last one of that exact name.</summary>
    private static JsonElement LastMember(JsonElement element, string name) =>
        element.EnumerateObject().Last(member => member.NameEquals(name)).Value;

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"x","requestId":"HOST"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"x"},"params":{"requestId":"HOST"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":7},"params":{"requestId":"HOST"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"request\u0049d":"HOST"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":{"n":1},"requestId":"HOST"}}""")]
    public async Task CancelRequest_DuplicateKeysNamingAHostIdLast_IsDroppedSoTheHostsOwnRequestLives(string cancel)
    {
        await using var harness = new RelayHarness();
        Task<AgentResponse> hostCall = harness.Relay.RequestAgentAsync("session/fork", """{"sessionId":"s"}"""u8.ToArray(), CancellationToken.None);
        string hostId = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;

        await harness.ClientSayAsync(cancel.Replace("HOST", hostId, StringComparison.Ordinal));
        await harness.ClientSayAsync(Alive);

        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Dropped a client $/cancel_request"));
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + hostId + "\",\"result\":{\"sessionId\":\"f\"}}");
        Assert.True((await hostCall.WaitAsync(TimeSpan.FromSeconds(30))).IsSuccess);
    }

    [Fact(Timeout = Timeout)]
    public async Task CancelRequest_DuplicateRequestIdOfAnAliasedRequest_TheLastOneIsRewritten()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"acphost:mine","method":"session/prompt","params":{}}""");
        string alias = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;
        Assert.NotEqual("acphost:mine", alias);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"other","requestId":"acphost:mine"}}""");

        JsonElement forwarded = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(alias, LastMember(LastMember(forwarded, "params"), "requestId").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task CancelRequest_EarlierDuplicateNamesAHostIdButTheLastDoesNot_IsForwardedUnchanged()
    {
        // JSON.parse reads "other": the agent cancels nothing of the host's, so the line may pass as it came.
        await using var harness = new RelayHarness();
        const string cancel = """{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"acphost:1","requestId":"other"}}""";

        await harness.ClientSayAsync(cancel);

        Assert.Equal(cancel, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("9007199254740992")]
    [InlineData("9007199254740993")]
    [InlineData("-9007199254740993")]
    [InlineData("9223372036854775807")]
    public async Task Request_IdBeyondTheAgentsExactIntegers_IsRefusedUpFrontWithItsId(string id)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"session/new\",\"params\":{}}");
        await harness.ClientSayAsync(Alive);

        string answer = await harness.ToClient.NextAsync();
        JsonElement error = Parse(answer);
        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("2^53", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"id\":" + id + ",", answer, StringComparison.Ordinal);
        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(0, harness.Relay.Pending.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task Request_LargestExactId_RoundTripsAsTheAgentEchoesIt()
    {
        await using var harness = new RelayHarness();
        const string request = """{"jsonrpc":"2.0","id":9007199254740991,"method":"session/new","params":{}}""";
        const string response = """{"jsonrpc":"2.0","id":9007199254740991,"result":{"sessionId":"s"}}""";

        await harness.ClientSayAsync(request);
        Assert.Equal(request, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync(response);

        Assert.Equal(response, await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Requests_TwoIdsTheAgentReadsAsOneDouble_NeverCrossAnswers()
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":9007199254740992,"method":"a","params":{}}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":9007199254740993,"method":"b","params":{}}""");
        await harness.ClientSayAsync(Alive);

        // Neither reaches the agent, so no echo of the agent's can answer the wrong one.
        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(-32600, Parse(await harness.ToClient.NextAsync()).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(-32600, Parse(await harness.ToClient.NextAsync()).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task Request_DuplicateIdKey_TheLastIdIsTheOneInFlight()
    {
        await using var harness = new RelayHarness();
        const string request = """{"jsonrpc":"2.0","id":1,"method":"session/new","params":{},"id":2}""";

        await harness.ClientSayAsync(request);
        Assert.Equal(request, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":2,"result":{}}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":2,"result":{}}""", await harness.ToClient.NextAsync());
        Assert.Equal(0, harness.Relay.Pending.Count);
    }
}
