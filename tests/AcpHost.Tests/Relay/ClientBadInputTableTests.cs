using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Relay;

/// <summary>
/// The client's rows of protocol/bad-input.md (and blank lines from either side) that RelayBadInputTests,
/// RelayIdSpaceTests and RelayLifecycleTests do not already prove: each bad input gets the answer the table gives, and
/// the next message still flows.
/// </summary>
public class ClientBadInputTableTests
{
    private const int Timeout = 15_000;
    private const string Alive = """{"jsonrpc":"2.0","method":"still/alive"}""";

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"1.0","id":7,"method":"session/new"}""", 7)]
    [InlineData("""{"jsonrpc":2.0,"id":7,"method":"session/new"}""", 7)]
    [InlineData("""{"jsonrpc":"2.0 ","method":"session/cancel"}""", null)]
    [InlineData("""{"method":"session/cancel","params":{}}""", null)]
    public async Task ClientWrongOrMissingJsonrpc_GetsInvalidRequestAndTheRelayGoesOn(string bad, int? id)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync(bad);
        await harness.ClientSayAsync(Alive);

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("jsonrpc", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        if (id is { } number)
        {
            Assert.Equal(number, error.GetProperty("id").GetInt32());
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        }

        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Rejected a client message"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","id":1.5,"method":"session/new"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":true,"method":"session/new"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":{"n":1},"method":"session/new"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":[1],"method":"session/new"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":null,"method":"session/new"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1e400,"result":{}}""")]
    public async Task ClientIdOfTheWrongType_GetsInvalidRequestWithNullId(string bad)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync(bad);
        await harness.ClientSayAsync(Alive);

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[]")]
    public async Task ClientJsonThatIsNotAnObject_GetsInvalidRequestWithNullId(string bad)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync(bad);
        await harness.ClientSayAsync(Alive);

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientTwoValuesOnOneLine_GetsParseErrorAndNeitherIsForwarded()
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"a"}{"jsonrpc":"2.0","id":2,"method":"b"}""");
        await harness.ClientSayAsync(Alive);

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(-32700, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(1, error.GetProperty("id").GetInt32());
        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientResponse_ToAnIdTheAgentNeverAsked_IsForwardedForTheAgentToJudge()
    {
        await using var harness = new RelayHarness();
        const string stray = """{"jsonrpc":"2.0","id":"perm-404","result":{"outcome":{"outcome":"cancelled"}}}""";

        await harness.ClientSayAsync(stray);
        await harness.ClientSayAsync(Alive);

        Assert.Equal(stray, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.DoesNotContain(harness.Log.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientRequest_IdReusedAfterItWasAnswered_IsAccepted()
    {
        await using var harness = new RelayHarness();
        const string request = """{"jsonrpc":"2.0","id":5,"method":"session/prompt","params":{}}""";
        const string answer = """{"jsonrpc":"2.0","id":5,"result":{"stopReason":"end_turn"}}""";

        for (int round = 0; round < 2; round++)
        {
            await harness.ClientSayAsync(request);
            Assert.Equal(request, await harness.Agent.ReadFromRelay.NextAsync());
            await harness.Agent.SayAsync(answer);
            Assert.Equal(answer, await harness.ToClient.NextAsync());
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientRequests_NumberAndStringOfTheSameDigits_AreDistinctIds()
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":3,"method":"a"}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"3","method":"b"}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":3,"method":"a"}""", await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal("""{"jsonrpc":"2.0","id":"3","method":"b"}""", await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":"3","result":"b"}""");
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":3,"result":"a"}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":"3","result":"b"}""", await harness.ToClient.NextAsync());
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":"a"}""", await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task EmptyLines_FromEitherSide_AreSkippedWithoutAnAnswer()
    {
        await using var harness = new RelayHarness();
        const string request = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""";
        const string answer = """{"jsonrpc":"2.0","id":1,"result":{}}""";

        await harness.ClientSayRawAsync("\n\r\n  \t \n\n"u8.ToArray());
        await harness.ClientSayAsync(request);

        // The first line each side sees is the real message: no error was written for the blank ones.
        Assert.Equal(request, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayRawAsync("\n \r\n\t\n"u8.ToArray());
        await harness.Agent.SayAsync(answer);
        Assert.Equal(answer, await harness.ToClient.NextAsync());
        Assert.DoesNotContain(harness.Log.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":12345}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"never-sent"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{}}""")]
    public async Task CancelRequest_ForAnUnknownId_IsForwardedUnchangedAndNotAnswered(string cancel)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync(cancel);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":2,"method":"session/new","params":{}}""");
        Assert.Equal(cancel, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Contains("\"id\":2", await harness.Agent.ReadFromRelay.NextAsync(), StringComparison.Ordinal);

        // The agent answers only once it has the request, as a real one does.
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":2,"result":{"sessionId":"s"}}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":2,"result":{"sessionId":"s"}}""", await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task CancelRequest_NamingAHostIdThatIsNotTheClients_IsDroppedSoTheHostsOwnRequestLives()
    {
        await using var harness = new RelayHarness();
        Task<AgentResponse> hostCall = harness.Relay.RequestAgentAsync("session/fork", """{"sessionId":"s"}"""u8.ToArray(), CancellationToken.None);
        string hostRequest = await harness.Agent.ReadFromRelay.NextAsync();
        string hostId = System.Text.Json.JsonDocument.Parse(hostRequest).RootElement.GetProperty("id").GetString()!;

        await harness.ClientSayAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel_request\",\"params\":{\"requestId\":\"" + hostId + "\"}}");
        await harness.ClientSayAsync(Alive);

        Assert.Equal(Alive, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Dropped a client $/cancel_request"));
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + hostId + "\",\"result\":{\"sessionId\":\"f\"}}");
        Assert.True((await hostCall.WaitAsync(TimeSpan.FromSeconds(30))).IsSuccess);
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientRequest_BeforeInitialize_IsForwardedAndTheAgentsAnswerReturns()
    {
        await using var harness = new RelayHarness();
        const string early = """{"jsonrpc":"2.0","id":1,"method":"session/new","params":{"cwd":"/tmp","mcpServers":[]}}""";
        const string refusal = """{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"Authentication required"}}""";
        const string notification = """{"jsonrpc":"2.0","method":"session/cancel","params":{"sessionId":"s"}}""";

        await harness.ClientSayAsync(early);
        await harness.ClientSayAsync(notification);
        Assert.Equal(early, await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(notification, await harness.Agent.ReadFromRelay.NextAsync());

        await harness.Agent.SayAsync(refusal);
        Assert.Equal(refusal, await harness.ToClient.NextAsync());
        Assert.Equal(0, harness.Relay.Pending.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientVanishesMidTurn_AgentInputClosesAndThePendingTurnIsAnswered()
    {
        await using var harness = new RelayHarness();
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":9,"method":"session/prompt","params":{}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"n":1}}""");

        await harness.ClientCloseAsync();

        RelayOutcome outcome = await harness.OutcomeAsync();
        Assert.Equal(RelayEnd.ClientClosed, outcome.End);
        Assert.Equal(1, outcome.UnansweredRequests);
        Assert.False(harness.Agent.WasKilled);
        List<string> lines = await harness.ToClient.ReadToEndAsync();
        Assert.Equal("""{"jsonrpc":"2.0","method":"session/update","params":{"n":1}}""", lines[0]);
        JsonElement error = Parse(Assert.Single(lines.Skip(1)));
        Assert.Equal(9, error.GetProperty("id").GetInt32());
        Assert.Equal(-32603, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(harness.Log.Contains(LogLevel.Information, "Client closed its input"));
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Answered 1 request(s)"));
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientStopsReadingMidTurn_RelayEndsAndTheAgentIsStopped()
    {
        var clientIn = new Pipe();
        var clientOut = new Pipe();
        var agent = new FakeAgentConnection();
        var log = new ListLogger<JsonRpcRelay>();
        var options = new RelayOptions { ShutdownGrace = TimeSpan.FromSeconds(1), DrainTimeout = TimeSpan.FromMilliseconds(500) };
        var relay = new JsonRpcRelay(clientIn.Reader, clientOut.Writer, agent, new RelaySetup { Options = options, Dialect = AcpDialect.Instance, Log = log });
        Task<RelayOutcome> run = relay.RunAsync(CancellationToken.None);
        await clientIn.Writer.WriteAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":9,"method":"session/prompt","params":{}}""" + "\n"));
        await agent.ReadFromRelay.NextAsync();

        // The editor crashed: its end of our stdout is closed (EPIPE on the next write).
        await clientOut.Reader.CompleteAsync();
        await agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"n":1}}""");

        RelayOutcome outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RelayEnd.ClientClosed, outcome.End);
        Assert.Equal(1, outcome.UnansweredRequests);
        Assert.True(log.Contains(LogLevel.Information, "Client stopped reading"));
        Assert.True(await agent.ReadFromRelay.WaitForEndAsync(TimeSpan.FromSeconds(30)));
        await clientIn.Writer.CompleteAsync();
    }
}
