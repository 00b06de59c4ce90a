using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Sessions;

/// <summary>
/// Keeps the family tree: every session the host relays is appended to the session ledger when it opens, and again
/// (at most every <see cref="UsageInterval"/>, and at shutdown) as its context fill changes. (Forks are announced by
/// the <see cref="ForkAnnouncer"/>, on the relay's own path, so the announcement comes first.) Disk writes happen on a
/// background loop, never on the relay's.
/// </summary>
public sealed partial class LineageRecorder : IHostedService, IAsyncDisposable
{
    /// <summary>How often a session's changing fill is written at most.</summary>
    public static readonly TimeSpan UsageInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly SessionRegistry _sessions;
    private readonly SessionLedger _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<LineageRecorder> _log;
    private readonly Channel<SessionInfo> _toWrite = Channel.CreateBounded<SessionInfo>(new BoundedChannelOptions(4096) { SingleReader = true });
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unwritten = new(StringComparer.Ordinal);
    private readonly Task _writing;
    private int _disposed;

    /// <summary>Creates the recorder and starts following the registry.</summary>
    public LineageRecorder(SessionRegistry sessions, SessionLedger ledger, TimeProvider time, ILogger<LineageRecorder> log)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        _sessions = sessions;
        _ledger = ledger;
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
                Enqueue(session);
            }
        }

        _toWrite.Writer.TryComplete();
        await _writing.WaitAsync(FinalFlushTimeout).ConfigureAwait(false);
    }

    private void OnOpened(SessionInfo session) => Enqueue(session);

    private void OnUsage(SessionInfo session)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_lastWritten.TryGetValue(session.SessionId, out DateTimeOffset last) && now - last < UsageInterval)
        {
            _unwritten[session.SessionId] = 0;
            return;
        }

        Enqueue(session);
    }

    private void Enqueue(SessionInfo session)
    {
        _lastWritten[session.SessionId] = _time.GetUtcNow();
        _unwritten.TryRemove(session.SessionId, out _);
        if (!_toWrite.Writer.TryWrite(session))
        {
            LineageDropped(_log, session.SessionId);
        }
    }

    private async Task WriteLoopAsync()
    {
        await foreach (SessionInfo session in _toWrite.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _ledger.AppendAsync(ToRecord(session), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
            {
                LedgerWriteFailed(_log, ex, session.SessionId);
            }
        }
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

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Could not write session {SessionId} to the session ledger")]
    private static partial void LedgerWriteFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "Too many session changes queued; the lineage of {SessionId} was not written this time")]
    private static partial void LineageDropped(ILogger logger, string sessionId);
}
