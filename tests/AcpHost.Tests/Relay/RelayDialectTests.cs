using System.Text.Json;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

/// <summary>
/// The relay acts on no protocol's names of its own: which notification cancels a request, and under which member it
/// names it, is what the dialect it is given says, and without one it sends and rewrites no cancel at all.
/// </summary>
public class RelayDialectTests
{
    private const int Timeout = 10_000;

    private static readonly RelayDialect OtherDialect = new() { Cancel = new CancelNotification("x/cancel", "target") };

    [Fact(Timeout = Timeout)]
    public async Task ClientCancel_InTheDialectsShape_NamesTheAliasAtTheAgent()
    {
        await using var harness = new RelayHarness(dialect: OtherDialect);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"acphost:9","method":"run","params":{}}""");
        string aliasId = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"x/cancel","params":{"target":"acphost:9"}}""");

        Assert.NotEqual("acphost:9", aliasId);
        Assert.Equal($$$"""{"jsonrpc":"2.0","method":"x/cancel","params":{"target":"{{{aliasId}}}"}}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientCancel_InAnotherProtocolsShape_PassesUnchanged()
    {
        await using var harness = new RelayHarness(dialect: OtherDialect);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"acphost:9","method":"run","params":{}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        const string cancel = """{"jsonrpc":"2.0","method":"$/cancel_request","params":{"requestId":"acphost:9"}}""";

        await harness.ClientSayAsync(cancel);

        Assert.Equal(cancel, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task RequestAgent_CallerCancels_SendsTheDialectsCancel()
    {
        await using var harness = new RelayHarness(dialect: OtherDialect);
        using var cts = new CancellationTokenSource();
        Task<AgentResponse> call = harness.Relay.RequestAgentAsync("run", "{}"u8.ToArray(), cts.Token);
        string id = Parse(await harness.Agent.ReadFromRelay.NextAsync()).GetProperty("id").GetString()!;

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal($$$"""{"jsonrpc":"2.0","method":"x/cancel","params":{"target":"{{{id}}}"}}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task RequestAgent_CallerCancels_PlainJsonRpc_SendsNoCancel()
    {
        await using var harness = new RelayHarness(dialect: RelayDialect.JsonRpc);
        using var cts = new CancellationTokenSource();
        Task<AgentResponse> call = harness.Relay.RequestAgentAsync("run", "{}"u8.ToArray(), cts.Token);
        await harness.Agent.ReadFromRelay.NextAsync();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"marker"}""");

        // The next line the agent reads is the client's, not a cancel of the host's.
        Assert.Equal("""{"jsonrpc":"2.0","method":"marker"}""", await harness.Agent.ReadFromRelay.NextAsync());
    }

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();
}
