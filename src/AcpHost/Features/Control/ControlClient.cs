using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Features.Control;

/// <summary>
/// The client side of one host's control endpoint (protocol/README.md, "Control endpoint"): newline-delimited JSON-RPC
/// over the host's Unix socket, framed and classified by the same code as the relay. One read loop routes each
/// response to its request by id, so requests may overlap, and queues notifications for <see cref="SubscribeAsync"/>.
/// Every wait is bounded: connecting and each request time out with a <see cref="TimeoutException"/>; a socket nobody
/// listens on is a <see cref="StaleControlSocketException"/>; an error answer is a <see cref="ControlErrorException"/>;
/// a connection the host closes fails what is pending with an <see cref="IOException"/>.
/// </summary>
public sealed class ControlClient : IAsyncDisposable
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
    // read loop waits, the host's queue fills and the host drops this subscriber: the protocol's answer to a slow reader.
    private const int EventQueueLength = 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<long, TaskCompletionSource<(bool IsError, JsonElement Value)>> _pending = [];
    private readonly Channel<(string Method, JsonElement Params)> _events = Channel.CreateBounded<(string, JsonElement)>(
        new BoundedChannelOptions(EventQueueLength) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _reading;
    private long _lastId;
    private bool _ended;
    private int _subscribed;
    private int _disposed;

    private ControlClient(string socketPath, Socket socket, TimeSpan timeout)
    {
        SocketPath = socketPath;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _timeout = timeout;
        _reading = Task.Run(ReadAsync);
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
        JsonElement result = await RequestAsync(ControlMethods.Status, default, _timeout, cancellationToken).ConfigureAwait(false);
        return Decode(result, ControlJsonContext.Default.HostStatus, ControlMethods.Status);
    }

    /// <summary><c>session/fork</c>: forks <paramref name="sessionId"/>, at <paramref name="messageId"/> if given.</summary>
    /// <exception cref="ControlErrorException">The host or the agent refused (unknown session, agent not running, …).</exception>
    public async Task<ControlForkResult> ForkAsync(string sessionId, string? messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        byte[] parameters = JsonSerializer.SerializeToUtf8Bytes(new ControlForkParams { SessionId = sessionId, MessageId = messageId }, ControlJsonContext.Default.ControlForkParams);
        JsonElement result = await RequestAsync(ControlMethods.Fork, parameters, ForkTimeout > _timeout ? ForkTimeout : _timeout, cancellationToken).ConfigureAwait(false);
        return Decode(result, ControlJsonContext.Default.ControlForkResult, ControlMethods.Fork);
    }

    /// <summary>
    /// <c>events/subscribe</c>, then every notification the host sends (<see cref="ControlMethods.CompactionEvent"/>,
    /// <see cref="ControlMethods.ForkEventName"/>, <see cref="ControlMethods.UsageEventName"/>, or newer ones) as its
    /// method and params, until the host closes the connection. Once per connection.
    /// </summary>
    public async IAsyncEnumerable<(string Method, JsonElement Params)> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) != 0)
        {
            throw new InvalidOperationException("This connection is already subscribed");
        }

        await RequestAsync(ControlMethods.Subscribe, default, _timeout, cancellationToken).ConfigureAwait(false);
        await foreach ((string Method, JsonElement Params) notification in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return notification;
        }
    }

    /// <summary>Closes the connection and waits for the read loop; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the host.
        }

        await _reading.ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
        _writeLock.Dispose();
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

    private async Task<JsonElement> RequestAsync(string method, ReadOnlyMemory<byte> parameters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        long id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<(bool IsError, JsonElement Value)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_ended)
            {
                throw Closed();
            }

            _pending.Add(id, answer);
        }

        var line = new ArrayBufferWriter<byte>(128 + parameters.Length);
        JsonRpcWriter.WriteRequest(line, new RequestId(id), method, parameters.Span);
        line.Write("\n"u8);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _writeLock.WaitAsync(deadline.Token).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(line.WrittenMemory, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }

            (bool isError, JsonElement value) = await answer.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            return isError ? throw ControlErrorException.FromError(value, method) : value;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The host at {SocketPath} did not answer {method} within {Seconds(timeout)}");
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException || (ex is IOException && ex.InnerException is SocketException))
        {
            // Writing to a connection the host closed (EPIPE, ECONNRESET).
            throw Closed(ex);
        }
        finally
        {
            lock (_gate)
            {
                _pending.Remove(id);
            }
        }
    }

    private IOException Closed(Exception? cause = null) =>
        new($"The host at {SocketPath} closed the control connection", cause);

    private async Task ReadAsync()
    {
        try
        {
            var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
            await LinePump.RunAsync(reader, new LineFramer(MaxLineBytes), new LineHandler(this), _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Disposed, or the connection broke: either way it has ended.
        }
        finally
        {
            End();
        }
    }

    // The connection is over: what waits for an answer fails now rather than at its timeout, and the events end.
    private void End()
    {
        List<TaskCompletionSource<(bool, JsonElement)>> orphans;
        lock (_gate)
        {
            _ended = true;
            orphans = [.. _pending.Values];
        }

        foreach (TaskCompletionSource<(bool, JsonElement)> orphan in orphans)
        {
            orphan.TrySetException(Closed());
        }

        _events.Writer.TryComplete();
    }

    private void Answer(long id, bool isError, JsonElement value)
    {
        TaskCompletionSource<(bool, JsonElement)>? waiting;
        lock (_gate)
        {
            _pending.TryGetValue(id, out waiting);
        }

        // An answer nobody waits for any more (its request timed out) is dropped.
        waiting?.TrySetResult((isError, value));
    }

    /// <summary>Routes the host's lines: responses to their requests, notifications to the event queue.</summary>
    private sealed class LineHandler(ControlClient client) : ILineHandler
    {
        public async ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
        {
            // Anything but a response to an integer id or a notification (a request, a line that is not JSON-RPC) is not
            // part of what a host sends: ignored.
            MessageInfo info = MessageClassifier.Classify(line.Span);
            if (info.Kind == MessageKind.Response && info.Id is { IsString: false } id)
            {
                client.Answer(id.AsNumber, info.IsErrorResponse, Member(line, info.IsErrorResponse ? "error" : "result"));
            }
            else if (info.Kind == MessageKind.Notification && Volatile.Read(ref client._subscribed) != 0)
            {
                await client._events.Writer.WriteAsync((info.Method!, Member(line, "params")), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        public ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

        // The one member the client needs, copied out of the line (whose memory the pump reuses). Missing: Undefined.
        private static JsonElement Member(ReadOnlyMemory<byte> line, string name)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty(name, out JsonElement value) ? value.Clone() : default;
        }
    }
}
