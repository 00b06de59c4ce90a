using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Control;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Settings;
using AcpHost.State;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Tests.Control;

/// <summary>The control endpoint on a real Unix socket in a temp folder, without an agent.</summary>
public sealed partial class ControlEndpointTests : IAsyncDisposable
{
    private const int Timeout = 20_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("ah-").FullName;
    private readonly HostEventBus _events;
    private readonly SessionRegistry _sessions;
    private readonly ListLogger<ControlEndpoint> _log = new();
    private readonly ListLogger<ControlRequestHandler> _handlerLog = new();
    private readonly ControlEndpoint _endpoint;

    public ControlEndpointTests()
    {
        _events = new HostEventBus();
        _sessions = new SessionRegistry(_events);
        var settings = Options.Create(new HostSettings { DataDir = Path.Combine(_folder, "data") });
        var handler = new ControlRequestHandler(settings, new HostState(TimeProvider.System), _sessions, new ForkService(_sessions, TimeProvider.System),
            new ClientChannel(), _events, TimeProvider.System, _handlerLog);
        string runtime = Path.Combine(_folder, "rt");
        _endpoint = new ControlEndpoint(settings, handler, _sessions, _events, TimeProvider.System, _log, name => name == "XDG_RUNTIME_DIR" ? runtime : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<(Socket Socket, StreamReader Reader)> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return (socket, new StreamReader(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8));
    }

    private static async Task<JsonElement> AskAsync(Socket socket, StreamReader reader, string request)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(request + "\n"));
        string? line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return JsonDocument.Parse(line ?? throw new InvalidOperationException("connection closed")).RootElement.Clone();
    }

    [Fact(Timeout = Timeout)]
    public async Task Start_SocketIsOwnerOnlyInAnOwnerOnlyFolderAndGoneAfterStop()
    {
        await _endpoint.StartAsync(CancellationToken.None);

        string path = _endpoint.SocketPath!;
        Assert.Equal(Path.Combine(_folder, "rt", "acphost", $"{Environment.ProcessId}.sock"), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));

        await _endpoint.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(path));
    }

    [Fact(Timeout = Timeout)]
    public async Task Status_SameUser_ListsTheLiveSessions()
    {
        _sessions.Open(new SessionInfo("s-1", "/work", DateTimeOffset.UtcNow, "session/new", null));
        _sessions.RecordUsage("s-1", 500, 1000);
        _sessions.Open(new SessionInfo("s-2", "/work", DateTimeOffset.UtcNow, "session/fork", "s-1") { ForkReason = "command" });
        await _endpoint.StartAsync(CancellationToken.None);
        (Socket socket, StreamReader reader) = await ConnectAsync(_endpoint.SocketPath!);
        using (socket)
        {
            JsonElement status = (await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":1,"method":"host/status"}""")).GetProperty("result");

            Assert.Equal(Environment.ProcessId, status.GetProperty("pid").GetInt32());
            Assert.Equal(Path.Combine(_folder, "data"), status.GetProperty("dataDir").GetString());
            JsonElement[] sessions = [.. status.GetProperty("sessions").EnumerateArray()];
            Assert.Equal(["s-1", "s-2"], sessions.Select(s => s.GetProperty("sessionId").GetString()));
            Assert.Equal(500, sessions[0].GetProperty("usedTokens").GetInt64());
            Assert.Equal(("s-1", "command"), (sessions[1].GetProperty("parentSessionId").GetString(), sessions[1].GetProperty("forkReason").GetString()));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Fork_UnknownSession_IsSessionNotFound_AndBadInputGetsErrors()
    {
        await _endpoint.StartAsync(CancellationToken.None);
        (Socket socket, StreamReader reader) = await ConnectAsync(_endpoint.SocketPath!);
        using (socket)
        {
            JsonElement unknown = await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":2,"method":"session/fork","params":{"sessionId":"nope"}}""");
            Assert.Equal(-32002, unknown.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("nope", unknown.GetProperty("error").GetProperty("data").GetProperty("sessionId").GetString());

            Assert.Equal(-32602, (await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":3,"method":"session/fork","params":{}}""")).GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(-32601, (await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":4,"method":"nope"}""")).GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(-32700, (await AskAsync(socket, reader, "garbage")).GetProperty("error").GetProperty("code").GetInt32());
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"session/fork","params":{"sessionId":42}}""", -32602, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"session/fork","params":{"sessionId":"s","messageId":{}}}""", -32602, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"session/fork","params":["s"]}""", -32602, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"host/status","params":"x"}""", -32600, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"host/status","params":42}""", -32600, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"host/status","params":{"unexpected":1}}""", -32602, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"session/fork","params":{"sessionId":"s","extra":[1]}}""", -32002, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"events/subscribe","params":true}""", -32600, 5)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"result":{}}""", -32600, null)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"error":{"code":1,"message":"x"}}""", -32600, null)]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{}}}""", -32602, null)]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":"x"}""", -32600, null)]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancelRequest"}""", -32602, null)]
    public async Task BadMessage_IsAnsweredWithAnErrorAndTheConnectionServesTheNextRequest(string bad, int code, int? id)
    {
        await _endpoint.StartAsync(CancellationToken.None);
        (Socket socket, StreamReader reader) = await ConnectAsync(_endpoint.SocketPath!);
        using (socket)
        {
            JsonElement error = await AskAsync(socket, reader, bad);
            JsonElement status = await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":9,"method":"host/status"}""");

            Assert.Equal(code, error.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(id, error.GetProperty("id").ValueKind == JsonValueKind.Null ? null : error.GetProperty("id").GetInt32());
            Assert.Equal(9, status.GetProperty("id").GetInt32());
            Assert.Equal(Environment.ProcessId, status.GetProperty("result").GetProperty("pid").GetInt32());
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Answers_EndInLfAlone()
    {
        await _endpoint.StartAsync(CancellationToken.None);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_endpoint.SocketPath!));
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"host/status\"}\ngarbage\n"));

        var received = new List<byte>();
        var buffer = new byte[65536];
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count(b => b == (byte)'\n') < 2)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, bounded.Token);
            Assert.True(read > 0, "the connection closed");
            received.AddRange(buffer.AsSpan(0, read));
        }

        Assert.DoesNotContain((byte)'\r', received);
    }

    [Fact(Timeout = Timeout)]
    public async Task Fork_AgentRefuses_TheAgentsErrorGoesBackAsItIsAndIsLogged()
    {
        // A live session the agent cannot fork yet (never prompted: no transcript): its -32002 is the agent's, not the
        // host's "not relayed", which alone carries data.reason.
        _sessions.Open(new SessionInfo("s-new", "/work", DateTimeOffset.UtcNow, "session/new", null));
        var outlet = new AcpHost.Tests.Features.Recovery.ScriptedOutlet { Answer = (_, _) => """{"error":{"code":-32002,"message":"Resource not found","data":{"uri":"s-new"}}}""" };
        var client = new ClientChannel();
        client.Attach(outlet);
        var handler = new ControlRequestHandler(Options.Create(new HostSettings { DataDir = _folder }), new HostState(TimeProvider.System), _sessions,
            new ForkService(_sessions, TimeProvider.System), client, _events, TimeProvider.System, _handlerLog);

        var refusal = await Assert.ThrowsAsync<StreamJsonRpc.LocalRpcException>(() => handler.ForkAsync(new ControlForkParams { SessionId = "s-new" }, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<StreamJsonRpc.LocalRpcException>(() => handler.ForkAsync(new ControlForkParams { SessionId = "s-gone" }, CancellationToken.None));

        Assert.Equal((-32002, "Resource not found"), (refusal.ErrorCode, refusal.Message));
        Assert.Equal("""{"uri":"s-new"}""", ((JsonElement)refusal.ErrorData!).GetRawText());
        Assert.True(_handlerLog.Contains(LogLevel.Warning, "The agent refused to fork s-new"));
        Assert.Equal(-32002, unknown.ErrorCode);
        Assert.Equal("""{"sessionId":"s-gone","reason":"not_relayed"}""", JsonSerializer.Serialize((SessionErrorData)unknown.ErrorData!, ControlJsonContext.Default.SessionErrorData));
    }

    [Fact(Timeout = Timeout)]
    public async Task Subscribe_ReceivesEventsUntilItDisconnects()
    {
        await _endpoint.StartAsync(CancellationToken.None);
        (Socket socket, StreamReader reader) = await ConnectAsync(_endpoint.SocketPath!);
        using (socket)
        {
            Assert.Equal(JsonValueKind.Object, (await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":1,"method":"events/subscribe"}""")).GetProperty("result").ValueKind);

            _sessions.Open(new SessionInfo("s-1", "/w", DateTimeOffset.UtcNow, "session/new", null));
            await WaitUntilAsync(() => { _sessions.RecordUsage("s-1", 42, 100); return Task.FromResult(true); });
            string? line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            JsonElement usage = JsonDocument.Parse(line!).RootElement;
            Assert.Equal("event/usage", usage.GetProperty("method").GetString());
            Assert.Equal(("s-1", 42L), (usage.GetProperty("params").GetProperty("sessionId").GetString(), usage.GetProperty("params").GetProperty("usedTokens").GetInt64()));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task SlowSubscriber_AfterAFloodOfFills_StillGetsTheForkThatFollowedAndPublishingNeverBlocks()
    {
        await _endpoint.StartAsync(CancellationToken.None);
        (Socket socket, StreamReader reader) = await ConnectAsync(_endpoint.SocketPath!);
        using (socket)
        {
            await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":1,"method":"events/subscribe"}""");

            // Nobody reads while 50,000 fills come (big ones, so the socket's buffers fill): they are kept one per
            // session, and the fork after them is not lost (it used to cut the subscriber off after 1,024).
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 50_000; i++)
            {
                _events.Publish(new ContextFillChanged { SessionId = new string('x', 4000) + (i % 2), UsedTokens = i, At = DateTimeOffset.UnixEpoch });
            }

            _events.Publish(new SessionForked { SessionId = "child", ParentSessionId = "parent", Reason = ForkReasons.Command, At = DateTimeOffset.UnixEpoch });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"publishing took {clock.Elapsed}");

            string? line;
            do
            {
                line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            while (line is not null && !line.Contains("\"event/fork\"", StringComparison.Ordinal));

            Assert.NotNull(line);
            Assert.Equal("child", JsonDocument.Parse(line).RootElement.GetProperty("params").GetProperty("sessionId").GetString());
            Assert.False(_handlerLog.Contains(LogLevel.Warning, "fell behind"));
        }
    }
}
