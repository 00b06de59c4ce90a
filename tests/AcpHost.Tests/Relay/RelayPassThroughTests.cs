using System.Text;
using System.Text.Json;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

public class RelayPassThroughTests
{
    private const int Timeout = 15_000;

    [Fact(Timeout = Timeout)]
    public async Task Relay_UntouchedMessages_PassByteForByteBothWays()
    {
        await using var harness = new RelayHarness();
        // Odd spacing, key order, escapes, non-ASCII, unknown members and _meta must all survive untouched.
        const string request = """{ "params" : {"protocolVersion":1,"_meta":{"x":[1,2]},"clientCapabilities":{"fs":{"readTextFile":true}}}, "method":"initialize","id":0,"jsonrpc":"2.0"}""";
        const string update = """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"h\u00e9llo — ünïcødé \"q\""}},"unknown":true}}""";
        const string agentRequest = """{"jsonrpc":"2.0","id":"perm-1","method":"session/request_permission","params":{"options":[]}}""";
        const string clientResponse = """{"jsonrpc":"2.0","id":"perm-1","result":{"outcome":{"outcome":"cancelled"}}}""";
        const string extension = """{"jsonrpc":"2.0","method":"_auth/status_update","params":{"state":"ok"}}""";

        await harness.ClientSayAsync(request);
        Assert.Equal(request, await harness.Agent.ReadFromRelay.NextAsync());

        await harness.Agent.SayAsync(update);
        await harness.Agent.SayAsync(agentRequest);
        await harness.Agent.SayAsync(extension);
        Assert.Equal(update, await harness.ToClient.NextAsync());
        Assert.Equal(agentRequest, await harness.ToClient.NextAsync());
        Assert.Equal(extension, await harness.ToClient.NextAsync());

        await harness.ClientSayAsync(clientResponse);
        Assert.Equal(clientResponse, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Relay_CrLfFromEitherSide_LeavesAsLf()
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayRawAsync("{\"jsonrpc\":\"2.0\",\"method\":\"a\"}\r\n"u8.ToArray());
        await harness.Agent.SayRawAsync("{\"jsonrpc\":\"2.0\",\"method\":\"b\"}\r\n"u8.ToArray());

        Assert.Equal("""{"jsonrpc":"2.0","method":"a"}""", await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal("""{"jsonrpc":"2.0","method":"b"}""", await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Relay_ThousandsOfMessages_KeepTheirOrderOnEachSide()
    {
        await using var harness = new RelayHarness();
        const int count = 5000;
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append(CultureInfoFree($$$"""{"jsonrpc":"2.0","method":"session/update","params":{"n":{{{i}}}}}""")).Append('\n');
        }

        Task writing = harness.Agent.SayRawAsync(Encoding.UTF8.GetBytes(sb.ToString()));
        for (int i = 0; i < count; i++)
        {
            string line = await harness.ToClient.NextAsync();
            Assert.Equal(i, JsonDocument.Parse(line).RootElement.GetProperty("params").GetProperty("n").GetInt32());
        }

        await writing;
    }

    [Fact(Timeout = Timeout)]
    public async Task Relay_SixteenMebibyteMessage_PassesWhole()
    {
        await using var harness = new RelayHarness();
        string text = new('a', 16 * 1024 * 1024);
        string line = $$$"""{"jsonrpc":"2.0","method":"session/update","params":{"text":"{{{text}}}"}}""";

        Task writing = harness.Agent.SayAsync(line);
        string? received = await harness.ToClient.ReadLineAsync(TimeSpan.FromSeconds(10));
        await writing;

        Assert.Equal(line.Length, received?.Length);
        Assert.Equal(line, received);
    }

    [Fact(Timeout = Timeout)]
    public async Task Relay_ProtocolVersionTwoAndMeta_AreNotTouched()
    {
        await using var harness = new RelayHarness();
        const string v2 = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":2,"_meta":{"anything":{"deep":true}}}}""";
        const string answer = """{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":2,"agentCapabilities":{"x":{}},"_meta":{"k":1}}}""";

        await harness.ClientSayAsync(v2);
        Assert.Equal(v2, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync(answer);
        Assert.Equal(answer, await harness.ToClient.NextAsync());
    }

    private static string CultureInfoFree(string text) => text;
}
