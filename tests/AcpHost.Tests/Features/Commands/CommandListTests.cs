using System.Text.Json;
using AcpHost.Features.Commands;
using AcpHost.Features.Sessions;
using AcpHost.State;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Commands;

/// <summary>The host's commands in ACP v2's session results, which carry a session's first command list.</summary>
public class CommandListTests
{
    private const int Timeout = 10_000;

    [Fact(Timeout = Timeout)]
    public async Task V2Results_NewAndResume_CarryTheHostsCommandsInV2Shape()
    {
        var profile = new ClientProfile();
        var names = new AgentCommandNames();
        await using var harness = new RelayHarness([new SessionTracker(new SessionRegistry(), TimeProvider.System, new ListLogger<SessionTracker>(), profile: profile), new CommandList(profile, names)]);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":2,"info":{"name":"c","version":"1"}}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":2}}""");
        await harness.ToClient.NextAsync();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/new","params":{"cwd":"/w"}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{"sessionId":"s","configOptions":[],"availableCommands":[{"type":"command","name":"compactions","description":"the agent's"}]}}""");
        JsonElement created = JsonDocument.Parse(await harness.ToClient.NextAsync()).RootElement;
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":2,"method":"session/resume","params":{"sessionId":"r","cwd":"/w"}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":2,"result":{"configOptions":[]}}""");
        JsonElement resumed = JsonDocument.Parse(await harness.ToClient.NextAsync()).RootElement;

        JsonElement commands = created.GetProperty("result").GetProperty("availableCommands");
        Assert.Equal(["compactions", "fork", "forks"], commands.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(commands.EnumerateArray(), c => Assert.Equal("command", c.GetProperty("type").GetString()));
        Assert.Equal(JsonValueKind.Array, created.GetProperty("result").GetProperty("configOptions").ValueKind);
        Assert.True(names.AgentOwns("s", "compactions"));
        Assert.Equal(["fork", "forks", "compactions"], resumed.GetProperty("result").GetProperty("availableCommands").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.False(names.AgentOwns("r", "compactions"));
    }
}
