using System.Text.Json;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Fork;

/// <summary><c>_acphost/session_forked</c> reaches the client before any message of the new session.</summary>
public sealed class ForkAnnouncementTests
{
    private const int Timeout = 20_000;

    private static string Commands(string sessionId) =>
        "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + sessionId + "\",\"update\":{\"sessionUpdate\":\"available_commands_update\",\"availableCommands\":[{\"name\":\"compact\",\"description\":\"Compact\"}]}}}";

    private static string SessionOf(JsonElement message) =>
        message.GetProperty("params").GetProperty("sessionId").GetString()!;

    /// <summary>With "parent" open, the client asks for <c>_acphost/session/fork</c>; returns the host's session/fork at the agent, not yet answered.</summary>
    private static async Task<JsonElement> HostForkInFlightAsync(ForkRig rig, string id)
    {
        await rig.OpenSessionAsync();
        await rig.Harness.ClientSayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"_acphost/session/fork\",\"params\":{\"sessionId\":\"parent\"}}");
        return await rig.AgentReadsHostRequestAsync("session/fork");
    }

    [Fact(Timeout = Timeout)]
    public async Task HostFork_AgentSendsTheForksCommandsRightAfterItsResponse_AnnouncementComesFirst()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"f1","method":"_acphost/session/fork","params":{"sessionId":"parent"}}""");
        JsonElement fork = await rig.AgentReadsHostRequestAsync("session/fork");

        // As the agent does: the response and the fork's command list in one write.
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + fork.GetProperty("id").GetString() + "\",\"result\":{\"sessionId\":\"child\"}}\n" + Commands("child"));

        List<JsonElement> toClient = await rig.ClientReadsAsync(3);
        Assert.Equal("_acphost/session_forked", ForkRig.MethodOf(toClient[0]));

        // The fork is answered off the relay's pumps, so its response and the fork's first update may come in either
        // order; both come after the announcement.
        JsonElement update = Assert.Single(toClient.Skip(1), message => ForkRig.MethodOf(message) == "session/update");
        Assert.Equal("child", SessionOf(update));

        // The held update went through the other features first: it carries the host's /fork command.
        Assert.Contains(update.GetProperty("params").GetProperty("update").GetProperty("availableCommands").EnumerateArray(), c => c.GetProperty("name").GetString() == "fork");
        JsonElement answer = Assert.Single(toClient.Skip(1), message => ForkRig.MethodOf(message) is null);
        Assert.Equal("f1", answer.GetProperty("id").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientSessionFork_UpdatesBeforeAndAfterTheResponse_AnnouncementComesFirst()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        await rig.OpenSessionAsync();
        const string response = """{"jsonrpc":"2.0","id":4,"result":{"sessionId":"child"}}""";

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":4,"method":"session/fork","params":{"sessionId":"parent","cwd":"/work","mcpServers":[]}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync(Commands("child"));
        await harness.Agent.SayAsync(response);
        await harness.Agent.SayAsync(Commands("child"));

        List<JsonElement> toClient = await rig.ClientReadsAsync(4);
        Assert.Equal(["_acphost/session_forked", "session/update", null, "session/update"], toClient.Select(ForkRig.MethodOf));
        Assert.Equal(("child", "parent", "client"), (SessionOf(toClient[0]), toClient[0].GetProperty("params").GetProperty("parentSessionId").GetString(), toClient[0].GetProperty("params").GetProperty("reason").GetString()));
        Assert.Equal(response, toClient[2].GetRawText());
    }

    [Fact(Timeout = Timeout)]
    public async Task Update_OfAKnownSessionWhileAForkIsInFlight_IsNotHeld()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        JsonElement fork = await HostForkInFlightAsync(rig, "f2");

        await harness.Agent.SayAsync(Commands("parent"));

        Assert.Equal("parent", SessionOf(ForkRig.Parse(await harness.ToClient.NextAsync())));
        await rig.AgentAnswersAsync(fork, """{"sessionId":"child"}""");
        Assert.Equal(["_acphost/session_forked", null], (await rig.ClientReadsAsync(2)).Select(ForkRig.MethodOf));
    }

    [Fact(Timeout = Timeout)]
    public async Task HostFork_Refused_HeldUpdatesGoOn()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        JsonElement fork = await HostForkInFlightAsync(rig, "f3");

        await harness.Agent.SayAsync(Commands("stranger"));
        await harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + fork.GetProperty("id").GetString() + "\",\"error\":{\"code\":-32603,\"message\":\"no\"}}");

        List<JsonElement> toClient = await rig.ClientReadsAsync(2);
        Assert.Contains(toClient, m => ForkRig.MethodOf(m) == "session/update" && SessionOf(m) == "stranger");
        Assert.Contains(toClient, m => m.TryGetProperty("error", out _));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("session/load")]
    [InlineData("session/resume")]
    public async Task SessionLoad_WhileAForkIsInFlight_HistoryComesBeforeTheResponse(string method)
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        JsonElement fork = await HostForkInFlightAsync(rig, "f4");

        // A session the host does not know yet is opened by the client while the fork is being made: its replayed
        // history must reach the client before the response, as the agent sends them, not 30 s later.
        await harness.ClientSayAsync("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"" + method + "\",\"params\":{\"sessionId\":\"old\",\"cwd\":\"/work\",\"mcpServers\":[]}}");
        await harness.Agent.ReadFromRelay.NextAsync();
        string replayed = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"old\",\"update\":{\"sessionUpdate\":\"user_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}}}";
        await harness.Agent.SayAsync(replayed);
        await harness.Agent.SayAsync(replayed);
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":5,"result":{}}""");

        List<JsonElement> toClient = await rig.ClientReadsAsync(3);
        Assert.Equal(["session/update", "session/update", null], toClient.Select(ForkRig.MethodOf));
        Assert.Equal(5, toClient[2].GetProperty("id").GetInt32());
        await rig.AgentAnswersAsync(fork, """{"sessionId":"child"}""");
    }

    [Fact(Timeout = Timeout)]
    public async Task SessionNew_ItsUpdatesBeforeItsResponseWhileAForkIsInFlight_KeepTheirOrder()
    {
        await using var rig = new ForkRig();
        RelayHarness harness = rig.Harness;
        JsonElement fork = await HostForkInFlightAsync(rig, "f5");

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":6,"method":"session/new","params":{"cwd":"/work","mcpServers":[]}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync(Commands("fresh"));
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":6,"result":{"sessionId":"fresh"}}""");

        List<JsonElement> toClient = await rig.ClientReadsAsync(2);
        Assert.Equal(["session/update", null], toClient.Select(ForkRig.MethodOf));
        await rig.AgentAnswersAsync(fork, """{"sessionId":"child"}""");
    }
}
