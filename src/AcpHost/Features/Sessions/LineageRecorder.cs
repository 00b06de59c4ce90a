using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using AcpHost.Acp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Sessions;

/// <summary>
/// Keeps the family tree: every session the host relays is appended to the session ledger when it opens, and again
/// (at most every <see cref="UsageInterval"/>, and at shutdown) as its context fill changes. Every fork, whoever made
/// it, is logged and announced to the client with <c>_acphost/session_forked</c>. Disk writes happen on a background
/// loop, never on the relay's.
/// </summary>
public sealed partial class LineageRecorder : IHostedService, IAsyncDisposable
{
    /// <summary>How often a session's changing fill is written at most.</summary>
    public static readonly TimeSpan UsageInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly SessionRegistry _sessions;
    private readonly SessionLedger _ledger;
    private readonly ClientChannel _client;
    private readonly TimeProvider _time;
    private readonly ILogger<LineageRecorder> _log;
    private readonly Channel<(SessionInfo Session, bool Opened)> _toWrite = Channel.CreateBounded<(SessionInfo, bool)>(new BoundedChannelOptions(4096) { SingleReader = true });
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unwritten = new(StringComparer.Ordinal);
    private readonly Task _writing;
    private readonly HostEvents? _events;
    private int _disposed;

    /// <summary>Creates the recorder and starts following the registry.</summary>
    public LineageRecorder(SessionRegistry sessions, SessionLedger ledger, ClientChannel client, TimeProvider time, ILogger<LineageRecorder> log, HostEvents? events = null)
    {
        _events = events;
        ArgumentNullException.ThrowIfNull(sessions);
        _sessions = sessions;
        _ledger = ledger;
        _client = client;
        _time = time;
        _log = log;
        _sessions.SessionOpened += OnOpened;
        _sessions.UsageChanged += OnUsage;
        _writing = Task.Run(WriteLoopAsync);
    }

    /// <inheritdoc/>
    /// <remarks>It follows the registry from construction; there is nothing more to start.</remarks>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    /// <remarks>Registered before the relay service, so it stops after the relay: the last fills get written.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _sessions.SessionOpened -= OnOpened;
        _sessions.UsageChanged -= OnUsage;
        foreach (string sessionId in _unwritten.Keys)
        {
            if (_sessions.Find(sessionId) is { } session)
            {
                Enqueue(session, opened: false);
            }
        }

        _toWrite.Writer.TryComplete();
        await _writing.WaitAsync(FinalFlushTimeout).ConfigureAwait(false);
    }

    private void OnOpened(SessionInfo session) => Enqueue(session, opened: true);

    private void OnUsage(SessionInfo session)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_lastWritten.TryGetValue(session.SessionId, out DateTimeOffset last) && now - last < UsageInterval)
        {
            _unwritten[session.SessionId] = 0;
            return;
        }

        Enqueue(session, opened: false);
    }

    private void Enqueue(SessionInfo session, bool opened)
    {
        _lastWritten[session.SessionId] = _time.GetUtcNow();
        _unwritten.TryRemove(session.SessionId, out _);
        if (!_toWrite.Writer.TryWrite((session, opened)))
        {
            LineageDropped(_log, session.SessionId);
        }
    }

    private async Task WriteLoopAsync()
    {
        await foreach ((SessionInfo session, bool opened) in _toWrite.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await WriteAsync(session, opened).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // One session the ledger refuses (an agent that named it "") must not stop the recording of every other.
                RecordFailed(_log, ex, session.SessionId);
            }
        }
    }

    private async Task WriteAsync(SessionInfo session, bool opened)
    {
        try
        {
            await _ledger.AppendAsync(ToRecord(session), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            LedgerWriteFailed(_log, ex, session.SessionId);
        }

        if (opened && session.ParentSessionId is { } parent)
        {
            await AnnounceForkAsync(session, parent).ConfigureAwait(false);
        }
    }

    private async Task AnnounceForkAsync(SessionInfo session, string parent)
    {
        string reason = session.ForkReason ?? Fork.ForkReasons.Client;
        SessionForked(_log, session.SessionId, parent, reason, session.Cwd);
        var notification = new SessionForkedNotification
        {
            SessionId = session.SessionId,
            ParentSessionId = parent,
            Reason = reason,
            UsedTokens = session.UsedTokens ?? _sessions.Find(parent)?.UsedTokens,
            ContextWindow = session.ContextWindow ?? _sessions.Find(parent)?.ContextWindow,
        };
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(notification, SessionsJsonContext.Default.SessionForkedNotification);
        await _client.NotifyAsync(AcpMethods.HostSessionForked, payload, CancellationToken.None).ConfigureAwait(false);
        _events?.Publish(Control.ControlMethods.ForkEventName, JsonSerializer.SerializeToUtf8Bytes(
            new Control.ForkEvent
            {
                SessionId = notification.SessionId,
                ParentSessionId = notification.ParentSessionId,
                Reason = notification.Reason,
                UsedTokens = notification.UsedTokens,
                ContextWindow = notification.ContextWindow,
                At = session.OpenedAt,
            },
            Control.ControlJsonContext.Default.ForkEvent));
    }

    private static SessionRecord ToRecord(SessionInfo session) => new()
    {
        SessionId = session.SessionId,
        ParentSessionId = session.ParentSessionId,
        ForkReason = session.ForkReason,
        Cwd = session.Cwd,
        CreatedAt = session.OpenedAt,
        UsedTokens = session.UsedTokens,
        ContextWindow = session.ContextWindow,
        Compactions = session.Compactions,
    };

    [LoggerMessage(EventId = 213, Level = LogLevel.Error, Message = "Could not record session {SessionId}; recording goes on with the next")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Session forked: {SessionId} from {ParentSessionId} (reason {Reason}, cwd {Cwd})")]
    private static partial void SessionForked(ILogger logger, string sessionId, string parentSessionId, string reason, string cwd);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Could not write session {SessionId} to the session ledger")]
    private static partial void LedgerWriteFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "Too many session changes queued; the lineage of {SessionId} was not written this time")]
    private static partial void LineageDropped(ILogger logger, string sessionId);
}
