using AcpHost.Features.SessionLog;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Features;

public class SessionEventsLoggerTests
{
    private const int Timeout = 15_000;

    [Fact(Timeout = Timeout)]
    public async Task Logger_SessionLifecycle_IsLoggedAtInformationAndMessagesPassUnchanged()
    {
        var log = new ListLogger<SessionEventsLogger>();
        await using var harness = new RelayHarness([new SessionEventsLogger(log)]);
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
        Assert.True(log.Contains(LogLevel.Information, "Session forked: s-2 from s-1 (cwd /work)"));
        Assert.True(log.Contains(LogLevel.Warning, "session/load failed at the agent: -32002 Session not found"));
    }
}
