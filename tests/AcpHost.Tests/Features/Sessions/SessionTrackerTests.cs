using AcpHost.Features.Sessions;
using AcpHost.State;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Features.Sessions;

public class SessionTrackerTests
{
    private const int Timeout = 15_000;

    [Fact(Timeout = Timeout)]
    public async Task Logger_SessionLifecycle_IsLoggedAtInformationAndMessagesPassUnchanged()
    {
        var log = new ListLogger<SessionTracker>();
        var registry = new SessionRegistry();
        await using var harness = new RelayHarness([new SessionTracker(registry, TimeProvider.System, log)]);
        string[] fromClient =
        [
            """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1}}""",
            """{"jsonrpc":"2.0","id":1,"method":"session/new","params":{"cwd":"/work","mcpServers":[]}}""",
            """{"jsonrpc":"2.0","id":2,"method":"session/fork","params":{"sessionId":"s-1","cwd":"/work"}}""",
            """{"jsonrpc":"2.0","id":3,"method":"session/load","params":{"sessionId":"s-0","cwd":"/old"}}""",
        ];
        string[] fromAgent =
        [
            """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":1,"agentInfo":{"name":"claude-agent","version":"0.100.0"}}}""",
            """{"jsonrpc":"2.0","id":1,"result":{"sessionId":"s-1","modes":{}}}""",
            """{"jsonrpc":"2.0","id":2,"result":{"sessionId":"s-2"}}""",
            """{"jsonrpc":"2.0","id":3,"error":{"code":-32002,"message":"Session not found"}}""",
        ];

        for (int i = 0; i < fromClient.Length; i++)
        {
            await harness.ClientSayAsync(fromClient[i]);
            Assert.Equal(fromClient[i], await harness.Agent.ReadFromRelay.NextAsync());
            await harness.Agent.SayAsync(fromAgent[i]);
            Assert.Equal(fromAgent[i], await harness.ToClient.NextAsync());
        }

        Assert.True(log.Contains(LogLevel.Information, "Agent initialized: claude-agent 0.100.0, protocol version 1"));
        Assert.True(log.Contains(LogLevel.Information, "Session created: s-1 (cwd /work)"));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("s-2", StringComparison.Ordinal)); // forks: the lineage recorder's to log
        Assert.True(log.Contains(LogLevel.Warning, "session/load failed at the agent: -32002 Session not found"));

        // The registry knows the sessions that were opened, with their cwd and lineage; not the failed load.
        Assert.Equal("/work", registry.Find("s-1")?.Cwd);
        Assert.Equal("s-1", registry.Find("s-2")?.ParentSessionId);
        Assert.Equal("client", registry.Find("s-2")?.ForkReason);
        Assert.Null(registry.Find("s-0"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Tracker_UsageUpdates_RecordTheSessionsFill()
    {
        var registry = new SessionRegistry();
        await using var harness = new RelayHarness([new SessionTracker(registry, TimeProvider.System, new ListLogger<SessionTracker>())]);
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/new","params":{"cwd":"/w","mcpServers":[]}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{"sessionId":"s"}}""");
        await harness.ToClient.NextAsync();

        const string usage = """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"usage_update","used":990001,"size":1000000}}}""";
        await harness.Agent.SayAsync(usage);

        Assert.Equal(usage, await harness.ToClient.NextAsync());
        Assert.Equal(990001, registry.Find("s")?.UsedTokens);
        Assert.Equal(1000000, registry.Find("s")?.ContextWindow);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("session/close")]
    [InlineData("session/delete")]
    public async Task Tracker_ClientClosesOrDeletesASession_ItIsForgottenOnceTheAgentSaysYes(string method)
    {
        var registry = new SessionRegistry();
        var log = new ListLogger<SessionTracker>();
        await using var harness = new RelayHarness([new SessionTracker(registry, TimeProvider.System, log)]);
        foreach ((string client, string agent) in new[]
        {
            ("""{"jsonrpc":"2.0","id":1,"method":"session/new","params":{"cwd":"/w","mcpServers":[]}}""", """{"jsonrpc":"2.0","id":1,"result":{"sessionId":"kept"}}"""),
            ("""{"jsonrpc":"2.0","id":2,"method":"session/new","params":{"cwd":"/w","mcpServers":[]}}""", """{"jsonrpc":"2.0","id":2,"result":{"sessionId":"gone"}}"""),
            ("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"" + method + "\",\"params\":{\"sessionId\":\"kept\"}}", """{"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"busy"}}"""),
            ("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"" + method + "\",\"params\":{\"sessionId\":\"gone\"}}", """{"jsonrpc":"2.0","id":4,"result":{}}"""),
        })
        {
            await harness.ClientSayAsync(client);
            await harness.Agent.ReadFromRelay.NextAsync();
            await harness.Agent.SayAsync(agent);
            await harness.ToClient.NextAsync();
        }

        // What ps lists and a restart resumes: the session the agent refused to close stays, the closed one is gone.
        Assert.Equal(["kept"], registry.All.Select(session => session.SessionId));
        Assert.True(log.Contains(LogLevel.Information, "Session gone"));
    }
}
