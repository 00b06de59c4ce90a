using System.Text.Json;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Fork;

/// <summary>
/// <c>/fork</c> is decided on the prompt the agent would read (<c>JSON.parse</c>: exact-case keys, last duplicate
/// wins, escapes decoded), and a request that reuses an id in flight is refused before any feature answers it.
/// </summary>
public sealed class ForkCommandReadingTests
{
    private const int Timeout = 20_000;
    private const string Marker = """{"jsonrpc":"2.0","method":"marker"}""";

    private readonly SessionRegistry _sessions = new();

    private RelayHarness Start()
    {
        var forks = new ForkService(_sessions, TimeProvider.System);
        IMessageInterceptor[] interceptors =
        [
            new SessionTracker(_sessions, TimeProvider.System, new ListLogger<SessionTracker>()),
            new ForkCommand(forks, new ListLogger<ForkCommand>()),
            new ForkMethod(forks),
        ];
        return new RelayHarness(interceptors);
    }

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    private static async Task OpenSessionAsync(RelayHarness harness)
    {
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"new","method":"session/new","params":{"cwd":"/work","mcpServers":[]}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":"new","result":{"sessionId":"parent"}}""");
        await harness.ToClient.NextAsync();
    }

    private static string Prompt(string paramsJson) => """{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":""" + paramsJson + "}";

    [Theory(Timeout = Timeout)]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"hi"}],"Prompt":[{"type":"text","text":"/fork"}]}""")]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}],"prompt":[{"type":"text","text":"hi"}]}""")]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"/fork","text":"hi"}]}""")]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"hi","Text":"/fork"}]}""")]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"/fork","type":"image"}]}""")]
    public async Task SlashFork_TheAgentWouldReadAnotherPrompt_IsForwardedAsAPrompt(string paramsJson)
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);
        string prompt = Prompt(paramsJson);

        await harness.ClientSayAsync(prompt);

        Assert.Equal(prompt, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"\u002ffork"}]}""")]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"\/fork"}]}""")]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"/\u0066ork note"}]}""")]
    [InlineData("""{"sessionId":"parent","prompt":[{"type":"text","text":"hi"}],"prompt":[{"type":"text","text":"/fork"}]}""")]
    [InlineData("""{"sessionId":"other","prompt":[{"type":"text","text":"/fork"}],"sessionId":"parent"}""")]
    public async Task SlashFork_TheAgentWouldReadSlashFork_IsAnsweredByTheHost(string paramsJson)
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);

        await harness.ClientSayAsync(Prompt(paramsJson));

        JsonElement fork = Parse(await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal("session/fork", fork.GetProperty("method").GetString());
        Assert.Equal("parent", fork.GetProperty("params").GetProperty("sessionId").GetString());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"/fork"}]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"_acphost/session/fork","params":{"sessionId":"parent"}}""")]
    public async Task HostAnsweredRequest_ReusingAnIdInFlight_IsRefusedAndTheClientGetsOneResponse(string reuse)
    {
        await using RelayHarness harness = Start();
        await OpenSessionAsync(harness);
        const string first = """{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"parent","prompt":[{"type":"text","text":"hello"}]}}""";
        await harness.ClientSayAsync(first);
        Assert.Equal(first, await harness.Agent.ReadFromRelay.NextAsync());

        await harness.ClientSayAsync(reuse);
        await harness.ClientSayAsync(Marker);

        // No fork reached the agent: the next thing it reads is the marker.
        Assert.Equal(Marker, await harness.Agent.ReadFromRelay.NextAsync());
        JsonElement refusal = Parse(await harness.ToClient.NextAsync());
        Assert.Equal(-32600, refusal.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("already in use", refusal.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        const string answer = """{"jsonrpc":"2.0","id":7,"result":{"stopReason":"end_turn"}}""";
        await harness.Agent.SayAsync(answer);
        Assert.Equal(answer, await harness.ToClient.NextAsync());
    }
}
