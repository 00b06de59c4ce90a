using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AcpHost.Features.Control;
using AcpHost.Relay.Transport;

namespace AcpHost.Tests.Features.Control;

/// <summary>
/// A tiny control endpoint on a Unix socket with canned answers: <c>host/status</c> answers <see cref="Status"/>,
/// <c>session/fork</c> answers <see cref="ForkedSessionId"/> (or <see cref="ForkError"/>), <c>events/subscribe</c>
/// answers <c>{}</c> and then relays what <see cref="PublishAsync"/> is given. <see cref="Silent"/> makes it accept
/// connections and never answer; <see cref="HangUp"/> makes it close a connection on its first request.
/// </summary>
internal sealed class FakeControlServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Connection> _connections = [];
    private readonly List<Connection> _subscribers = [];
    private readonly SemaphoreSlim _subscribed = new(0);
    private readonly Task _accepting;

    private FakeControlServer(string socketPath, HostStatus status)
    {
        SocketPath = socketPath;
        Status = status;
        // Private, as a real host makes them: clients ignore folders and sockets another user could reach.
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!, OwnFiles.PrivateFolder);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, OwnFiles.PrivateFile);
        _listener.Listen(16);
        _accepting = Task.Run(AcceptAsync);
    }

    public string SocketPath { get; }

    public HostStatus Status { get; set; }

    public string ForkedSessionId { get; set; } = "s-forked";

    /// <summary>The error object to answer <c>session/fork</c> with, as JSON, instead of forking.</summary>
    public string? ForkError { get; set; }

    public bool Silent { get; init; }

    public bool HangUp { get; init; }

    /// <summary>The params of every <c>session/fork</c> received.</summary>
    public List<ControlForkParams> ForkRequests { get; } = [];

    /// <summary>Listens on <c>&lt;folder&gt;/&lt;pid&gt;.sock</c>, as a host with <see cref="HostStatus.Pid"/> would.</summary>
    public static FakeControlServer Start(string folder, HostStatus status, bool silent = false, bool hangUp = false) =>
        new(Path.Combine(folder, status.Pid + ".sock"), status) { Silent = silent, HangUp = hangUp };

    /// <summary>Leaves a socket file nobody listens on, as a host that was killed does.</summary>
    public static string LeaveStaleSocket(string folder, int pid)
    {
        Directory.CreateDirectory(folder, OwnFiles.PrivateFolder);
        string path = Path.Combine(folder, pid + ".sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, OwnFiles.PrivateFile);
        return path;
    }

    /// <summary>Waits until <paramref name="count"/> more connections have subscribed (and been answered).</summary>
    public async Task WaitForSubscribersAsync(int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(await _subscribed.WaitAsync(TimeSpan.FromSeconds(10)), "No client subscribed");
        }
    }

    /// <summary>Sends the notification to every subscribed connection.</summary>
    public async Task PublishAsync(string method, string paramsJson)
    {
        List<Connection> subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (Connection subscriber in subscribers)
        {
            await subscriber.WriteAsync($$"""{"jsonrpc":"2.0","method":"{{method}}","params":{{paramsJson}}}""");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        List<Connection> connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        foreach (Connection connection in connections)
        {
            connection.Dispose();
        }

        await _accepting;
        await Task.WhenAll(connections.Select(connection => connection.Serving));
        File.Delete(SocketPath);
        _stop.Dispose();
        _subscribed.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new Connection(socket);
            lock (_gate)
            {
                _connections.Add(connection);
            }

            connection.Serving = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Connection connection)
    {
        try
        {
            while (await connection.Reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (HangUp)
                {
                    connection.Dispose();
                    return;
                }

                if (!Silent)
                {
                    await AnswerAsync(connection, line);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed.
        }
    }

    private async Task AnswerAsync(Connection connection, string line)
    {
        using JsonDocument request = JsonDocument.Parse(line);
        string id = request.RootElement.GetProperty("id").GetRawText();
        string method = request.RootElement.GetProperty("method").GetString()!;
        switch (method)
        {
            case ControlMethods.Status:
                await connection.WriteAsync(Result(id, JsonSerializer.Serialize(Status, ControlJsonContext.Default.HostStatus)));
                break;
            case ControlMethods.Fork:
                ControlForkParams fork = request.RootElement.GetProperty("params").Deserialize(ControlJsonContext.Default.ControlForkParams)!;
                lock (_gate)
                {
                    ForkRequests.Add(fork);
                }

                await connection.WriteAsync(ForkError is { } error
                    ? $$"""{"jsonrpc":"2.0","id":{{id}},"error":{{error}}}"""
                    : Result(id, JsonSerializer.Serialize(new ControlForkResult { SessionId = ForkedSessionId, ParentSessionId = fork.SessionId! }, ControlJsonContext.Default.ControlForkResult)));
                break;
            case ControlMethods.Subscribe:
                await connection.WriteAsync(Result(id, "{}"));
                lock (_gate)
                {
                    _subscribers.Add(connection);
                }

                _subscribed.Release();
                break;
            default:
                await connection.WriteAsync($$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":-32601,"message":"Method not found: {{{method}}}"}}""");
                break;
        }
    }

    private static string Result(string id, string json) => $$"""{"jsonrpc":"2.0","id":{{id}},"result":{{json}}}""";

    private sealed class Connection(Socket socket) : IDisposable
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);
        private readonly Lock _writeLock = new();

        public StreamReader Reader { get; } = new(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8);

        public Task Serving { get; set; } = Task.CompletedTask;

        // Synchronous under a lock: the fake's answers and events never interleave mid-line.
        public Task WriteAsync(string line)
        {
            lock (_writeLock)
            {
                try
                {
                    _stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    // The client went away.
                }
            }

            return Task.CompletedTask;
        }

        public void Dispose()
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            _stream.Dispose();
            Reader.Dispose();
        }
    }
}
