using System.Globalization;
using System.Net.Sockets;
using AcpHost.Events;
using AcpHost.Features.Sessions;
using AcpHost.Settings;
using AcpHost.Relay.Diagnostics;
using AcpHost.Relay.Platform;
using AcpHost.Relay.Transport;
using AcpHost.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Control;

/// <summary>
/// The host's local control endpoint: a Unix socket only this user can open (folder 0700, socket 0600, and the
/// kernel's word on each peer's uid), speaking newline-delimited JSON-RPC (protocol/README.md, "Control endpoint").
/// Its socket is removed when the host stops; sockets of hosts that died are removed when the next one starts. A host
/// that cannot open its endpoint logs why and relays all the same.
/// </summary>
internal sealed partial class ControlEndpoint : IHostedService, IAsyncDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private Task? _accepting;
    private readonly IOptions<HostSettings> _settings;
    private readonly ControlRequestHandler _handler;
    private readonly SessionRegistry _sessions;
    private readonly HostEventBus _events;
    private readonly TimeProvider _time;
    private readonly ILogger<ControlEndpoint> _log;
    private readonly Func<string, string?> _environment;
    private readonly ShutdownDeadline? _deadline;
    private int _stopped;
    private int _open;
    private readonly LogGate _refusals = new(5, TimeSpan.FromSeconds(60));

    /// <summary>Connections served at once; more are refused (closed as soon as accepted).</summary>
    internal const int MaxConnections = 32;

    // Descriptors kept free for the relay, the agent's restart, the ledgers and the runtime itself.
    private const int SpareDescriptors = 64;

    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromSeconds(1);

    // How long stopping waits for the connections to end (less when the host's shutdown leaves less).
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    /// <summary>Creates the endpoint; it listens once started.</summary>
    public ControlEndpoint(IOptions<HostSettings> settings, ControlRequestHandler handler, SessionRegistry sessions, HostEventBus events, TimeProvider time, ILogger<ControlEndpoint> log, ShutdownDeadline deadline)
        : this(settings, handler, sessions, events, time, log, Environment.GetEnvironmentVariable)
    {
        _deadline = deadline;
    }

    /// <summary>Creates the endpoint reading <c>XDG_RUNTIME_DIR</c> from <paramref name="environment"/> (tests isolate it so).</summary>
    internal ControlEndpoint(
        IOptions<HostSettings> settings,
        ControlRequestHandler handler,
        SessionRegistry sessions,
        HostEventBus events,
        TimeProvider time,
        ILogger<ControlEndpoint> log,
        Func<string, string?> environment)
    {
        _settings = settings;
        _handler = handler;
        _sessions = sessions;
        _events = events;
        _time = time;
        _log = log;
        _environment = environment;
    }

    /// <summary>The socket this host listens on, once started.</summary>
    public string? SocketPath { get; private set; }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return Task.CompletedTask;
        }

        string path = ControlPaths.SocketFor(Environment.ProcessId, _settings.Value.DataDir, _environment);
        try
        {
            string folder = Path.GetDirectoryName(path)!;
            // Refuses a folder another user made (the /tmp fallback is open to anyone) instead of chmod-ing it.
            OwnFiles.EnsurePrivateFolder(folder);
            File.Delete(path);
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, OwnerOnlyFile);
            listener.Listen(16);
            _listener = listener;
            SocketPath = path;
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException)
        {
            EndpointUnavailable(_log, path, ex.Message);
            return Task.CompletedTask;
        }

        // Other hosts' sockets are looked at off the start: start-up never waits on another host.
        _accepting = Task.Run(() => { StaleControlSockets.Remove(Path.GetDirectoryName(path)!, _log); return AcceptLoopAsync(); }, CancellationToken.None);
        Listening(_log, path);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (SocketPath is not null)
        {
            File.Delete(SocketPath);
        }

        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }

        try
        {
            await Task.WhenAll([.. running, _accepting ?? Task.CompletedTask]).WaitAsync(_deadline?.Left(StopWait) ?? StopWait, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A connection still writing to a peer that reads nothing; the process is ending.
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await _listener!.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (!_stopping.IsCancellationRequested)
            {
                // Out of descriptors, most likely: the endpoint pauses instead of ending, and the relay goes on.
                GatedLog.Write(_log, _refusals, "control connection refused", ex.Message, static (log, reason) => AcceptFailed(log, reason));
                await Task.Delay(AcceptRetryDelay, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            if (Volatile.Read(ref _open) >= MaxConnections || FileDescriptors.Spare() < SpareDescriptors)
            {
                // Idle connections must not use up the descriptors the relay and the runtime need.
                peer.Dispose();
                GatedLog.Write(_log, _refusals, "control connection refused", MaxConnections, static (log, max) => ConnectionRefused(log, max, SpareDescriptors));
                continue;
            }

            Interlocked.Increment(ref _open);
            Task connection = Task.Run(() => ServeAsync(peer), CancellationToken.None);
            lock (_connections)
            {
                _connections.RemoveAll(task => task.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    private async Task ServeAsync(Socket peer)
    {
        try
        {
            await ServeOneAsync(peer).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task ServeOneAsync(Socket peer)
    {
        using (peer)
        {
            (int Pid, uint Uid)? credentials = UnixPeer.CredentialsOf(peer);
            uint self = UnixPeer.EffectiveUserId();
            if (credentials is not { } known || known.Uid != self)
            {
                PeerRefused(_log, credentials?.Uid.ToString(CultureInfo.InvariantCulture) ?? "unknown", credentials?.Pid ?? 0, self);
                return;
            }

            await using var stream = new NetworkStream(peer, ownsSocket: false);
            try
            {
                await _handler.ServeAsync(stream, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer went away or the host is stopping: nothing is owed to a closed connection.
            }
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Control endpoint listening on {Path}")]
    private static partial void Listening(ILogger logger, string path);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Control endpoint unavailable at {Path}: {Reason}; the relay runs without it")]
    private static partial void EndpointUnavailable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Refused a control connection from uid {Uid} (pid {Pid}): only uid {Self} may connect")]
    private static partial void PeerRefused(ILogger logger, string uid, int pid, uint self);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Refused a control connection: {Max} are open already, or fewer than {Spare} file descriptors are left; the relay goes on")]
    private static partial void ConnectionRefused(ILogger logger, int max, int spare);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Could not accept a control connection ({Reason}); trying again in a second, the relay goes on")]
    private static partial void AcceptFailed(ILogger logger, string reason);
}
