using System.Text;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;
using Moq;

namespace AcpHost.Tests.Relay;

public class RelayInterceptionTests
{
    private const int Timeout = 15_000;

    private static Mock<IMessageInterceptor> Interceptor(params string[] methods)
    {
        // CallBase: the interface's default Wants (true) applies, as it does for real interceptors.
        var mock = new Mock<IMessageInterceptor> { CallBase = true };
        mock.SetupGet(i => i.Methods).Returns(methods);
        mock.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(InterceptResult.Forward);
        return mock;
    }

    [Fact(Timeout = Timeout)]
    public async Task Interceptor_IsCalledOnlyForItsMethodsAndForResponsesToThem()
    {
        Mock<IMessageInterceptor> interceptor = Interceptor("session/new");
        var seen = new List<(Direction, MessageKind, string, string)>();
        interceptor.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>()))
            .Callback<InterceptContext, CancellationToken>((c, _) => seen.Add((c.Direction, c.Info.Kind, c.Method, Encoding.UTF8.GetString(c.Line.Span))))
            .ReturnsAsync(InterceptResult.Forward);
        await using var harness = new RelayHarness([interceptor.Object]);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"acphost:2","method":"session/new","params":{"cwd":"/w"}}""");
        await harness.Agent.ReadFromRelay.NextAsync();
        string aliased = await harness.Agent.ReadFromRelay.NextAsync();
        string alias = System.Text.Json.JsonDocument.Parse(aliased).RootElement.GetProperty("id").GetString()!;
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":1,"result":{}}""");
        await harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","id":"{{{alias}}}","result":{"sessionId":"s"}}""");
        await harness.ToClient.NextAsync();
        Assert.Equal("""{"jsonrpc":"2.0","id":"acphost:2","result":{"sessionId":"s"}}""", await harness.ToClient.NextAsync());

        Assert.Equal(2, seen.Count);
        Assert.Equal((Direction.FromClient, MessageKind.Request, "session/new"), (seen[0].Item1, seen[0].Item2, seen[0].Item3));
        Assert.Equal((Direction.FromAgent, MessageKind.Response, "session/new"), (seen[1].Item1, seen[1].Item2, seen[1].Item3));

        // Interceptors see the client's ids on both sides, never the alias.
        Assert.Contains("\"id\":\"acphost:2\"", seen[0].Item4, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"acphost:2\"", seen[1].Item4, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task TextChunks_SkipInterceptorsThatDeclineThem_AndReachThoseThatDoNot()
    {
        const string Chunk = """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"hi"}}}}""";
        const string Usage = """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"usage_update","used":1,"size":2}}}""";
        Mock<IMessageInterceptor> declining = Interceptor("session/update");
        declining.SetupGet(i => i.WantsChunks).Returns(false);
        var declinedSaw = new List<bool>();
        declining.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>()))
            .Callback<InterceptContext, CancellationToken>((c, _) => declinedSaw.Add(c.Info.IsChunk))
            .ReturnsAsync(InterceptResult.Forward);
        Mock<IMessageInterceptor> wanting = Interceptor("session/update");
        var wantingSaw = new List<bool>();
        wanting.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>()))
            .Callback<InterceptContext, CancellationToken>((c, _) => wantingSaw.Add(c.Info.IsChunk))
            .ReturnsAsync(InterceptResult.Forward);
        await using var harness = new RelayHarness([declining.Object, wanting.Object]);

        await harness.Agent.SayAsync(Chunk);
        await harness.Agent.SayAsync(Usage);
        await harness.Agent.SayAsync(Chunk);

        Assert.Equal(Chunk, await harness.ToClient.NextAsync());
        Assert.Equal(Usage, await harness.ToClient.NextAsync());
        Assert.Equal(Chunk, await harness.ToClient.NextAsync());
        Assert.Equal([false], declinedSaw);
        Assert.Equal([true, false, true], wantingSaw);
        declining.Verify(i => i.Wants(It.IsAny<string>(), It.Is<ReadOnlyMemory<byte>>(line => line.Length == Chunk.Length)), Times.Never());
    }

    [Fact(Timeout = Timeout)]
    public async Task Interceptor_Replace_SendsTheNewBytesInstead()
    {
        Mock<IMessageInterceptor> interceptor = Interceptor("session/update");
        interceptor.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(InterceptResult.Replace("""{"jsonrpc":"2.0","method":"session/update","params":{"changed":true}}"""u8.ToArray()));
        await using var harness = new RelayHarness([interceptor.Object]);

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{}}""");

        Assert.Equal("""{"jsonrpc":"2.0","method":"session/update","params":{"changed":true}}""", await harness.ToClient.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Interceptor_ConsumeAndAnswer_TheAgentNeverSeesTheRequest()
    {
        Mock<IMessageInterceptor> interceptor = Interceptor("_acphost/ping");
        interceptor.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>()))
            .Returns<InterceptContext, CancellationToken>(async (context, ct) =>
            {
                await context.Outlet.SendToClientAsync("""{"jsonrpc":"2.0","id":5,"result":"pong"}"""u8.ToArray(), ct);
                return InterceptResult.Consume;
            });
        await using var harness = new RelayHarness([interceptor.Object]);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":5,"method":"_acphost/ping"}""");
        await harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"next"}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":5,"result":"pong"}""", await harness.ToClient.NextAsync());
        Assert.Equal("""{"jsonrpc":"2.0","method":"next"}""", await harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(0, harness.Relay.Pending.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task Interceptor_Throws_MessageGoesOnUnchangedAndTheFailureIsLogged()
    {
        Mock<IMessageInterceptor> interceptor = Interceptor("session/update");
        interceptor.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("feature bug"));
        await using var harness = new RelayHarness([interceptor.Object]);

        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"n":1}}""");

        Assert.Equal("""{"jsonrpc":"2.0","method":"session/update","params":{"n":1}}""", await harness.ToClient.NextAsync());
        Assert.True(harness.Log.Contains(LogLevel.Error, "session/update"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Interceptor_FromClientWaitingOnTheAgent_DoesNotDeadlock()
    {
        // A feature on the client side may ask the agent something before letting a prompt through (pre-compact fork).
        Mock<IMessageInterceptor> interceptor = Interceptor("session/prompt");
        interceptor.Setup(i => i.InterceptAsync(It.IsAny<InterceptContext>(), It.IsAny<CancellationToken>()))
            .Returns<InterceptContext, CancellationToken>(async (context, ct) =>
            {
                AgentResponse response = await context.Outlet.RequestAgentAsync("session/fork", """{"sessionId":"s"}"""u8.ToArray(), ct);
                Assert.True(response.IsSuccess);
                return InterceptResult.Forward;
            });
        await using var harness = new RelayHarness([interceptor.Object]);

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""");
        string fork = await harness.Agent.ReadFromRelay.NextAsync();
        string forkId = System.Text.Json.JsonDocument.Parse(fork).RootElement.GetProperty("id").GetString()!;
        await harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","id":"{{{forkId}}}","result":{"sessionId":"f"}}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{}}""", await harness.Agent.ReadFromRelay.NextAsync());
        _ = HostIdSpace.Prefix;
    }
}
