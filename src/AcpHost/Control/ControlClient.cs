using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using AcpHost.Relay.Platform;
using StreamJsonRpc;

namespace AcpHost.Control;

/// <summary>
/// The client side of one host's control endpoint (protocol/README.md, "Control endpoint"): a <see cref="ControlRpc"/>
/// (StreamJsonRpc) over the host's Unix socket, so requests may overlap and notifications are queued for
/// <see cref="SubscribeAsync"/>. Every wait is bounded: connecting and each request time out with a
/// <see cref="TimeoutException"/>; a socket nobody listens on is a <see cref="StaleControlSocketException"/>; an error
/// answer is a <see cref="ControlErrorException"/>; a connection the host closes fails what is pending with an
/// <see cref="IOException"/>.
/// </summary>
internal sealed class ControlClient : IAsyncDisposable
{
    /// <summary>How long connecting and each request may take, unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a fork may take: the host waits for the agent, which forks in about half a second when well.</summary>
    public static readonly TimeSpan ForkTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long <see cref="DiscoverAsync(string, CancellationToken)"/> gives each socket to connect and to answer.</summary>
    public static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(2);

    // Status answers with many sessions stay far below this; the bound only keeps a broken peer from exhausting memory.
    private const long MaxLineBytes = 16 * 1024 * 1024;

    // As many events as the host queues for a subscriber. When the reader of SubscribeAsync falls this far behind, the
    // dispatch of the next event waits, the host's queue fills and the host drops this subscriber: the protocol's
    // answer to a slow reader.
    private const int EventQueueLength = 1024;

    private readonly ControlRpc _rpc;
    private readonly TimeSpan _timeout;
    private readonly Channel<(string Method, JsonElement Params)> _events = Channel.CreateBounded<(string, JsonElement)>(
        new BoundedChannelOptions(EventQueueLength) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private int _subscribed;
    private int _disposed;

    private ControlClient(string socketPath, Socket socket, TimeSpan timeout)
    {
        SocketPath = socketPath;
        _timeout = timeout;
        _rpc = ControlRpc.Create(new NetworkStream(socket, ownsSocket: true), MaxLineBytes, answerBadInput: false, OnNotificationAsync);
        _rpc.StartListening();
        // Notifications are queued by the reader itself, so when the connection ends every one received is queued already.
        _ = _rpc.Completion.ContinueWith(_ => _events.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The socket this client is connected to.</summary>
    public string SocketPath { get; }

    /// <summary>
    /// Connects to the control socket at <paramref name="socketPath"/>. <paramref name="timeout"/> (default
    /// <see cref="DefaultTimeout"/>) bounds the connection and then every request but a fork.
    /// </summary>
    /// <exception cref="StaleControlSocketException">Nobody listens there: skip it.</exception>
    /// <exception cref="TimeoutException">The connection did not complete in time.</exception>
    /// <exception cref="SocketException">Any other refusal, for example another user's socket (<c>EACCES</c>).</exception>
    public static async Task<ControlClient> ConnectAsync(string socketPath, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        TimeSpan limit = timeout ?? DefaultTimeout;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limit);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            // .NET reports ENOENT (the file is gone) as AddressNotAvailable.
            socket.Dispose();
            throw new StaleControlSocketException(socketPath, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Connecting to {socketPath} took longer than {Seconds(limit)}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        // The kernel's word on who listens: a socket file can be renamed or its folder replaced, the peer's uid cannot.
        if (OperatingSystem.IsLinux() && UnixPeer.CredentialsOf(socket)?.Uid is var peerUid && peerUid != UnixPeer.EffectiveUserId())
        {
            socket.Dispose();
            throw new UnauthorizedAccessException(string.Create(
                CultureInfo.InvariantCulture,
                $"The control socket {socketPath} is served by uid {peerUid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}, not by you (uid {UnixPeer.EffectiveUserId()}); refusing to talk to it"));
        }

        return new ControlClient(socketPath, socket, limit);
    }

    /// <summary>
    /// Asks every socket of <see cref="ControlPaths.FindSockets"/> for its status at once, each within
    /// <see cref="DiscoveryTimeout"/>, and returns the hosts that answered, oldest first. Stale sockets, sockets that do
    /// not answer and answers that make no sense are skipped.
    /// </summary>
    public static Task<IReadOnlyList<(string SocketPath, HostStatus Status)>> DiscoverAsync(string dataDir, CancellationToken cancellationToken = default) =>
        DiscoverAsync(dataDir, environment: null, cancellationToken: cancellationToken);

    /// <inheritdoc cref="DiscoverAsync(string, CancellationToken)"/>
    /// <param name="dataDir">The data directory, whose <c>run/</c> folder is one place sockets live.</param>
    /// <param name="environment">Where to read <c>XDG_RUNTIME_DIR</c> (the process environment when null).</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <param name="refused">Told why a folder or socket that another user could control was ignored.</param>
    public static async Task<IReadOnlyList<(string SocketPath, HostStatus Status)>> DiscoverAsync(
        string dataDir, Func<string, string?>? environment, Action<string>? refused = null, CancellationToken cancellationToken = default)
    {
        List<string> sockets;
        try
        {
            sockets = ControlPaths.FindSockets(dataDir, environment, refused).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be listed holds no socket this user can use.
            sockets = [];
        }

        (string SocketPath, HostStatus Status)?[] answers = await Task.WhenAll(sockets.Select(path => ProbeAsync(path, cancellationToken))).ConfigureAwait(false);
        return [.. answers.OfType<(string SocketPath, HostStatus Status)>().OrderBy(host => host.Status.StartedAt).ThenBy(host => host.SocketPath, StringComparer.Ordinal)];
    }

    /// <summary><c>host/status</c>: the host, its agent and its live sessions.</summary>
    public async Task<HostStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        JsonElement result = await RequestAsync(ControlMethods.Status, null, _timeout, cancellationToken).ConfigureAwait(false);
        return Decode(result, ControlJsonContext.Default.HostStatus, ControlMethods.Status);
    }

    /// <summary><c>session/fork</c>: forks <paramref name="sessionId"/>, at <paramref name="messageId"/> if given.</summary>
    /// <exception cref="ControlErrorException">The host or the agent refused (unknown session, agent not running, …).</exception>
    public async Task<ControlForkResult> ForkAsync(string sessionId, string? messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var parameters = new ControlForkParams { SessionId = sessionId, MessageId = messageId };
        JsonElement result = await RequestAsync(ControlMethods.Fork, parameters, ForkTimeout > _timeout ? ForkTimeout : _timeout, cancellationToken).ConfigureAwait(false);
        return Decode(result, ControlJsonContext.Default.ControlForkResult, ControlMethods.Fork);
    }

    /// <summary>
    /// <c>events/subscribe</c>, then every notification the host sends (<see cref="ControlMethods.CompactionEvent"/>,
    /// <see cref="ControlMethods.ForkEventName"/>, <see cref="ControlMethods.UsageEventName"/>, or newer ones) as its method and params,
    /// until the host closes the connection. Once per connection.
    /// </summary>
    public async IAsyncEnumerable<(string Method, JsonElement Params)> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) != 0)
        {
            throw new InvalidOperationException("This connection is already subscribed");
        }

        await RequestAsync(ControlMethods.Subscribe, null, _timeout, cancellationToken).ConfigureAwait(false);
        await foreach ((string Method, JsonElement Params) notification in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return notification;
        }
    }

    /// <summary>Closes the connection and waits for it to end; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _rpc.Dispose();
        try
        {
            await _rpc.Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection broke rather than closed: it has ended either way.
        }

        _events.Writer.TryComplete();
    }

    private static async Task<(string SocketPath, HostStatus Status)?> ProbeAsync(string socketPath, CancellationToken cancellationToken)
    {
        try
        {
            ControlClient client = await ConnectAsync(socketPath, DiscoveryTimeout, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                return (socketPath, await client.StatusAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ControlErrorException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private T Decode<T>(JsonElement value, JsonTypeInfo<T> type, string method)
    {
        try
        {
            return value.Deserialize(type) ?? throw new JsonException("the result is null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The host at {SocketPath} answered {method} with a result that does not fit: {ex.Message}", ex);
        }
    }

    private async Task<JsonElement> RequestAsync(string method, ControlForkParams? parameters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // StreamJsonRpc's cancellation tells the host ($/cancelRequest) and then waits for its answer, which a host that
            // hangs never sends: the deadline is kept here as well.
            Task<JsonElement> answer = InvokeAsync(method, parameters, deadline.Token);
            _ = answer.ContinueWith(static task => task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return await answer.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (RemoteInvocationException ex)
        {
            throw new ControlErrorException(ex.ErrorCode, ex.Message, ex.ErrorData is JsonElement data ? data : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The host at {SocketPath} did not answer {method} within {Seconds(timeout)}");
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or SocketException or IOException)
        {
            // The host closed the connection before answering (or while the request was being written).
            throw new IOException($"The host at {SocketPath} closed the control connection", ex);
        }
    }

    // Params go out as the object itself ("params":{...}), serialized with ControlJsonContext; a request without params
    // sends none of its own.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The formatter serializes the parameter object with ControlJsonContext's source-generated metadata; nothing reflects over it.")]
    private Task<JsonElement> InvokeAsync(string method, ControlForkParams? parameters, CancellationToken cancellationToken) =>
        _rpc.InvokeWithParameterObjectAsync<JsonElement>(method, (object?)parameters, null, cancellationToken);

    private async ValueTask OnNotificationAsync(string method, JsonElement parameters)
    {
        // Events before events/subscribe are not part of what a host sends: ignored. A full queue holds the reader.
        if (Volatile.Read(ref _subscribed) != 0)
        {
            try
            {
                await _events.Writer.WriteAsync((method, parameters)).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                // Disposed.
            }
        }
    }
}
