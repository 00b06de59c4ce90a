using System.Net.Sockets;
using System.Text.Json;
using AcpHost.Control;
using AcpHost.Relay.Platform;
using AcpHost.Relay.Transport;
using StreamJsonRpc;

namespace AcpHost.Tests.Control;

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

        using JsonDocument parameters = JsonDocument.Parse(paramsJson);
        foreach (Connection subscriber in subscribers)
        {
            try
            {
                await subscriber.NotifyAsync(method, parameters.RootElement);
            }
            catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException)
            {
                // The client went away.
            }
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

            var connection = new Connection(this, socket);
            lock (_gate)
            {
                _connections.Add(connection);
            }

            connection.Start();
        }
    }

    /// <summary>One client, served by the same connection type as the real endpoint (<see cref="ControlRpc"/>).</summary>
    private sealed class Connection : IDisposable
    {
        private readonly FakeControlServer _server;
        private readonly ControlRpc _rpc;

        public Connection(FakeControlServer server, Socket socket)
        {
            _server = server;
            _rpc = ControlRpc.Create(new NetworkStream(socket, ownsSocket: true), 1024 * 1024, answerBadInput: true);
            _rpc.AddLocalRpcMethod(ControlMethods.Status, new Func<CancellationToken, Task<HostStatus>>(StatusAsync));
            Func<ControlForkParams, CancellationToken, Task<ControlForkResult>> fork = ForkAsync;
            _rpc.AddLocalRpcMethod(fork.Method, this, new JsonRpcMethodAttribute(ControlMethods.Fork) { UseSingleObjectParameterDeserialization = true });
            _rpc.AddLocalRpcMethod(ControlMethods.Subscribe, new Func<CancellationToken, Task<EmptyResult>>(SubscribeAsync));
        }

        public Task Serving => _rpc.Completion.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        public void Start() => _rpc.StartListening();

        [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Tests are not trimmed.")]
        public Task NotifyAsync(string method, JsonElement parameters) => _rpc.NotifyWithParameterObjectAsync(method, (object)parameters);

        public void Dispose() => _rpc.Dispose();

        private async Task<HostStatus> StatusAsync(CancellationToken cancellationToken)
        {
            await AnsweringAsync(cancellationToken);
            return _server.Status;
        }

        private async Task<ControlForkResult> ForkAsync(ControlForkParams request, CancellationToken cancellationToken)
        {
            await AnsweringAsync(cancellationToken);
            lock (_server._gate)
            {
                _server.ForkRequests.Add(request);
            }

            if (_server.ForkError is { } error)
            {
                JsonElement refusal = JsonDocument.Parse(error).RootElement;
                throw new LocalRpcException(refusal.GetProperty("message").GetString())
                {
                    ErrorCode = refusal.GetProperty("code").GetInt32(),
                    ErrorData = refusal.TryGetProperty("data", out JsonElement data) ? data : null,
                };
            }

            return new ControlForkResult { SessionId = _server.ForkedSessionId, ParentSessionId = request.SessionId! };
        }

        private async Task<EmptyResult> SubscribeAsync(CancellationToken cancellationToken)
        {
            await AnsweringAsync(cancellationToken);
            lock (_server._gate)
            {
                _server._subscribers.Add(this);
            }

            // The client queues events from the moment it asked, so one published before this answer is written is not lost.
            _server._subscribed.Release();
            return EmptyResult.Instance;
        }

        // Silent: never answers (until the connection ends). HangUp: closes the connection on the first request.
        private async Task AnsweringAsync(CancellationToken cancellationToken)
        {
            if (_server.HangUp)
            {
                _rpc.Dispose();
                throw new OperationCanceledException();
            }

            if (_server.Silent)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}
