using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Relay;

public class RelayBadInputTests
{
    private const int Timeout = 15_000;

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    [Theory(Timeout = Timeout)]
    [InlineData("this is not json", -32700, null)]
    [InlineData("""{"jsonrpc":"2.0","id":4,"method":"session/prompt","params":{""", -32700, 4)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"x"}]""", -32600, null)]
    [InlineData("""{"id":"k","method":"x"}""", -32600, "k")]
    [InlineData("\"just a string\"", -32600, null)]
    public async Task ClientBadLine_GetsAnErrorAndTheRelayGoesOn(string bad, int code, object? id)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayAsync(bad);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"still/alive"}""");

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal("2.0", error.GetProperty("jsonrpc").GetString());
        Assert.Equal(code, error.GetProperty("error").GetProperty("code").GetInt32());
        JsonElement errorId = error.GetProperty("id");
        switch (id)
        {
            case null:
                Assert.Equal(JsonValueKind.Null, errorId.ValueKind);
                break;
            case int number:
                Assert.Equal(number, errorId.GetInt32());
                break;
            case string text:
                Assert.Equal(text, errorId.GetString());
                break;
        }

        Assert.Equal("""{"jsonrpc":"2.0","method":"still/alive"}""", await harness.Agent.ReadFromRelay.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Rejected a client message"));
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientInvalidUtf8_GetsParseErrorAndIsNotForwarded()
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayRawAsync([.. """{"jsonrpc":"2.0","method":"x","params":{"t":" """u8, 0xFF, .. "\"}}\n"u8]);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"next"}""");

        Assert.Equal(-32700, Parse(await harness.ToClient.NextAsync()).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("""{"jsonrpc":"2.0","method":"next"}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientOversizedLine_GetsAnErrorAndTheRelayGoesOn()
    {
        await using var harness = new RelayHarness(options: new RelayOptions { MaxMessageBytes = 4096 });

        await harness.ClientSayAsync($$$"""{"jsonrpc":"2.0","method":"x","params":"{{{new string('a', 10_000)}}}"}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"small"}""");

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("too large", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"jsonrpc":"2.0","method":"small"}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientLine_OverTheAgentsLineLimit_GetsTooLargeWithItsIdAndTheAgentNeverSeesIt()
    {
        // Longer than the agent reads (its SDK ends its input on such a line) but within the relay's own limit: the
        // request is answered with its id and the agent gets nothing of it.
        var dialect = new RelayDialect { Cancel = AcpDialect.Instance.Cancel, AgentMaxLineBytes = 4096 };
        await using var harness = new RelayHarness(dialect: dialect);

        await harness.ClientSayAsync($$$"""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"pad":"{{{new string('a', 10_000)}}}"}}""");
        await harness.ClientSayAsync($$$"""{"jsonrpc":"2.0","method":"x","params":"{{{new string('b', 4100)}}}"}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"small"}""");

        JsonElement error = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(7, error.GetProperty("id").GetInt32());
        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("too large", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, Parse(await harness.ToClient.NextAsync()).GetProperty("id").ValueKind);
        Assert.Equal("""{"jsonrpc":"2.0","method":"small"}""", await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(0, harness.Relay.Pending.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task HostRequest_OverTheAgentsLineLimit_FailsWithoutReachingTheAgent()
    {
        var dialect = new RelayDialect { AgentMaxLineBytes = 4096 };
        await using var harness = new RelayHarness(dialect: dialect);

        await Assert.ThrowsAsync<AgentUnavailableException>(() =>
            harness.Relay.RequestAgentAsync("session/fork", System.Text.Encoding.UTF8.GetBytes($$$"""{"cwd":"{{{new string('c', 5000)}}}"}"""), CancellationToken.None));
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"small"}""");

        Assert.Equal("""{"jsonrpc":"2.0","method":"small"}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task AcpDialect_AgentLineLimit_IsTheAgentSdksThirtyTwoMebibytes()
    {
        Assert.Equal(32L * 1024 * 1024, AcpDialect.Instance.AgentMaxLineBytes);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentGarbage_IsLoggedWithItsFirstBytesAndDropped()
    {
        await using var harness = new RelayHarness();

        await harness.Agent.SayAsync("Debugger listening on ws://127.0.0.1:9229");
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{}}""");

        Assert.Equal("""{"jsonrpc":"2.0","method":"session/update","params":{}}""", await harness.ToClient.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "Debugger listening"));
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentOversizedLine_IsDroppedAndTheRelayGoesOn()
    {
        await using var harness = new RelayHarness(options: new RelayOptions { MaxMessageBytes = 2048 });

        await harness.Agent.SayAsync(new string('z', 5000));
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"ok"}""");

        Assert.Equal("""{"jsonrpc":"2.0","method":"ok"}""", await harness.ToClient.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Warning, "over 2048 bytes"));
    }
}
