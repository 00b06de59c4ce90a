using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.Features.Commands;
using AcpHost.Relay.Protocol;
using AcpHost.State;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Protocol;

/// <summary>A line read for editing is read as <c>JSON.parse</c> reads it (bad-input C39).</summary>
public class JsonTreeTests
{
    private const int Timeout = 10_000;

    [Fact(Timeout = Timeout)]
    public async Task Parse_RepeatedKey_FirstPlaceLastValue()
    {
        JsonNode? tree = JsonTree.Parse("""{"a":1,"b":{"c":true,"c":false},"a":[2,3]}"""u8);

        Assert.Equal("""{"a":[2,3],"b":{"c":false}}""", tree!.ToJsonString());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Parse_NumbersAndStrings_KeepTheirValues()
    {
        JsonNode? tree = JsonTree.Parse("""{"n":1.50e3,"big":12345678901234567890,"s":"\u00e9\n","z":null}"""u8);

        Assert.Equal("""{"n":1.50e3,"big":12345678901234567890,"s":"\u00E9\n","z":null}""", tree!.ToJsonString());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Parse_AsDeepAsTheRelayAccepts_AndNoDeeper()
    {
        static byte[] Nested(int depth) => Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));

        Assert.NotNull(JsonTree.Parse(Nested(JsonDepth.Max)));
        Assert.ThrowsAny<JsonException>(() => JsonTree.Parse(Nested(JsonDepth.Max + 1)));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task CommandList_UpdateWithARepeatedKey_MergesIntoTheListTheAgentReads()
    {
        await using var harness = new RelayHarness([new CommandList(new ClientProfile(), new AgentCommandNames())]);

        // JSON.parse keeps the last availableCommands; before, the feature threw on the repeated key and merged nothing.
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"available_commands_update","availableCommands":[{"name":"old"}],"availableCommands":[{"name":"review","description":"r"}]}}}""");

        JsonElement merged = JsonDocument.Parse(await harness.ToClient.NextAsync()).RootElement;
        Assert.Equal(["review", "fork", "forks", "compactions"], merged.GetProperty("params").GetProperty("update").GetProperty("availableCommands").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }
}
