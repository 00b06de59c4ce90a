using System.Text;
using System.Text.Json;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

public class RelayIdSpaceTests
{
    private const int Timeout = 15_000;

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    [Fact(Timeout = Timeout)]
    public async Task RequestAgent_ClientUsesTheSameIds_EachResponseReachesWhoeverAsked()
    {
        await using var harness = new RelayHarness();

        // The host asks first, so its id is "acphost:1"; the client then uses that very string, and a number.
        Task<AgentResponse> hostCall = harness.Relay.RequestAgentAsync("session/fork", """{"sessionId":"s1","cwd":"/"}"""u8.ToArray(), CancellationToken.None);
        JsonElement hostRequest = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        string hostId = hostRequest.GetProperty("id").GetString()!;
        Assert.Equal("acphost:1", hostId);
        Assert.Equal("session/fork", hostRequest.GetProperty("method").GetString());

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"acphost:1","method":"session/prompt","params":{}}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/new","params":{}}""");
        JsonElement aliased = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        string aliasId = aliased.GetProperty("id").GetString()!;
        Assert.NotEqual(hostId, aliasId);
        Assert.StartsWith("acphost:", aliasId, StringComparison.Ordinal);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"method":"session/new","params":{}}""", await harness.Agent.ReadFromRelay.NextAsync());

        // The agent answers out of order.
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{"sessionId":"s2"}}""");
        await harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","id":"{{{aliasId}}}","result":{"stopReason":"end_turn"}}""");
        await harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","id":"{{{hostId}}}","result":{"sessionId":"fork-1"}}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":{"sessionId":"s2"}}""", await harness.ToClient.NextAsync());
        Assert.Equal("""{"jsonrpc":"2.0","id":"acphost:1","result":{"stopReason":"end_turn"}}""", await harness.ToClient.NextAsync());
        AgentResponse forked = await hostCall.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(forked.IsSuccess);
        Assert.Equal("fork-1", forked.Result!.Value.GetProperty("sessionId").GetString());

        // Nothing else reached the client: the host's response was not forwarded.
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"marker"}""");
        Assert.Equal("""{"jsonrpc":"2.0","method":"marker"}""", await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task CancelRequest_ForAnAliasedRequest_NamesTheAliasAtTheAgent()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"acphost:9","method":"session/prompt","params":{}}""");
        string aliasId = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"acphost:9"}}""");

        Assert.Equal($$$"""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"{{{aliasId}}}"}}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task CancelRequest_ForAnOrdinaryId_PassesUnchanged()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":5,"method":"session/prompt","params":{}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        const string cancel = """{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":5}}""";

        await harness.ClientSayAsync(cancel);

        Assert.Equal(cancel, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task CancelRequest_FromTheAgent_PassesUnchanged()
    {
        await using var harness = new RelayHarness();
        const string cancel = """{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"acphost:1"}}""";

        await harness.Agent.SayAsync(cancel);

        Assert.Equal(cancel, await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task RequestAgent_AgentAnswersWithError_ReturnsTheError()
    {
        await using var harness = new RelayHarness();
        Task<AgentResponse> call = harness.Relay.RequestAgentAsync("session/fork", """{"sessionId":"nope"}"""u8.ToArray(), CancellationToken.None);
        string id = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;

        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"error\":{\"code\":-32002,\"message\":\"Session not found\",\"data\":{\"sessionId\":\"nope\"}}}");

        AgentResponse response = await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(response.IsSuccess);
        Assert.Equal(-32002, response.Error!.Value.GetProperty("code").GetInt32());
    }

    [Fact(Timeout = Timeout)]
    public async Task RequestAgent_CallerCancels_SendsCancelRequestToTheAgent()
    {
        await using var harness = new RelayHarness();
        using var cts = new CancellationTokenSource();
        Task<AgentResponse> call = harness.Relay.RequestAgentAsync("session/prompt", "{}"u8.ToArray(), cts.Token);
        string id = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal($$$"""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"{{{id}}}"}}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Request_DuplicateIdInFlight_IsRejectedAndTheFirstStillAnswered()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":3,"method":"session/prompt","params":{"n":1}}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":3,"method":"session/prompt","params":{"n":2}}""");

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(3, error.GetProperty("id").GetInt32());
        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("n\":1", await harness.Agent.ReadFromRelay.NextAsync(), StringComparison.Ordinal);

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":3,"result":{}}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":{}}""", await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Response_ToAnIdNobodyAsked_IsDroppedAndLogged()
    {
        await using var harness = new RelayHarness();

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":99,"result":{}}""");
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"after"}""");

        Assert.Equal("""{"jsonrpc":"2.0","method":"after"}""", await harness.ToClient.NextAsync());
        Assert.True(harness.Log.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "id 99"));
    }

    [Fact(Timeout = Timeout)]
    public async Task ErrorResponse_WithNullId_IsForwardedToTheClient()
    {
        await using var harness = new RelayHarness();
        const string line = """{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""";

        await harness.Agent.SayAsync(line);

        Assert.Equal(line, await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task HostIds_AreNeverReusedAcrossManyCalls()
    {
        await using var harness = new RelayHarness();
        var seen = new HashSet<string>();
        for (int i = 0; i < 50; i++)
        {
            _ = harness.Relay.RequestAgentAsync("x", default, CancellationToken.None);
            Assert.True(seen.Add(Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!));
        }

        Assert.Equal(50, seen.Count);
        await Task.Yield();
        _ = Encoding.UTF8;
    }
}
