using System.Threading.Channels;
using AcpHost.Events;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Sessions;

/// <summary>
/// Keeps the family tree: every session the host relays is appended to the session ledger when it opens, and again
/// as its context fill changes: at most every <see cref="UsageInterval"/>, and a change held back by that is written by
/// a sweep every <see cref="SweepInterval"/>, so what <c>acphost sessions</c> shows while hosts run is never more than
/// <see cref="MaxStaleness"/> behind (and exact once the host exits). (Forks are announced by the
/// the fork announcer, on the relay's own path, so the announcement comes first.) Disk writes happen on a
/// background loop, never on the relay's. What waits to be written is one entry per session, its latest state (a burst
/// of sessions or changes is coalesced, never dropped), and the loop writes all that waits in one append.
/// </summary>
internal sealed partial class LineageRecorder : IHostedService, IAsyncDisposable
{
    /// <summary>How often a session's changing fill is written at most.</summary>
    public static readonly TimeSpan UsageInterval = TimeSpan.FromSeconds(4);

    /// <summary>How often fills held back by <see cref="UsageInterval"/> are looked at.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>How far the ledger's fill of a live session may lag the host's (plus the time to write a line).</summary>
    public static readonly TimeSpan MaxStaleness = UsageInterval + SweepInterval;

    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly SessionRegistry _sessions;
    private readonly SessionLedger _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<LineageRecorder> _log;
    // Each session waiting to be written, as last seen, and whether it opened since its last line (its lineage is then
    // looked up): bounded by the sessions, whatever the rate of changes.
    private readonly ConcurrentDictionary<string, (SessionInfo Session, bool Opened)> _toWrite = new(StringComparer.Ordinal);

    // One pending wake is enough: the loop writes everything that waits each time it runs.
    private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unwritten = new(StringComparer.Ordinal);
    private readonly ShutdownDeadline? _deadline;
    private Task _writing = Task.CompletedTask;
    private ITimer? _sweep;
    private int _sweepArmed;
    private int _started;
    private int _disposed;

    /// <summary>Creates the recorder, following the registry; its writing loop and sweep start with <see cref="StartAsync"/>.</summary>
    /// <param name="sessions">The relayed sessions.</param>
    /// <param name="ledger">Where they are written.</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">The log.</param>
    /// <param name="deadline">When the host must be gone once it ends: the last write fits before it.</param>
    public LineageRecorder(SessionRegistry sessions, SessionLedger ledger, TimeProvider time, ILogger<LineageRecorder> log, ShutdownDeadline? deadline = null)
    {
        _deadline = deadline;
        ArgumentNullException.ThrowIfNull(sessions);
        _sessions = sessions;
        _ledger = ledger;
        _time = time;
        _log = log;
        _sessions.SessionOpened += OnOpened;
        _sessions.UsageChanged += OnUsage;
    }

    /// <inheritdoc/>
    /// <remarks>Sessions opened before this are queued (bounded) and written once the loop runs.</remarks>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _writing = Task.Run(WriteLoopAsync, CancellationToken.None);
            // Armed only while a fill waits to be written (ArmSweep): a timer ticking on an idle host wakes a thread for nothing.
            _sweep = _time.CreateTimer(static state => ((LineageRecorder)state!).Sweep(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Volatile.Write(ref _sweepArmed, 0); // a fill before this found no timer to arm
            if (!_unwritten.IsEmpty)
            {
                ArmSweep();
            }
        }

        return Task.CompletedTask;
    }

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
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync().ConfigureAwait(false);
        }

        // Never started (a host that failed before its services started): what was queued is still written.
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _writing = Task.Run(WriteLoopAsync, CancellationToken.None);
        }

        foreach (string sessionId in _unwritten.Keys)
        {
            if (_sessions.Find(sessionId) is { } session)
            {
                Enqueue(session, opened: false);
            }
        }

        _wake.Writer.TryComplete();
        TimeSpan budget = _deadline?.Left(FinalFlushTimeout) ?? FinalFlushTimeout;
        try
        {
            await _writing.WaitAsync(budget).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LastWriteLate(_log, budget);
        }
    }

    private void OnOpened(SessionInfo session) => Enqueue(session, opened: true);

    private void OnUsage(SessionInfo session)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_lastWritten.TryGetValue(session.SessionId, out DateTimeOffset last) && now - last < UsageInterval)
        {
            _unwritten[session.SessionId] = 0;
            ArmSweep();
            return;
        }

        Enqueue(session, opened: false);
    }

    /// <summary>Writes the fills held back whose session was last written at least <see cref="UsageInterval"/> ago.</summary>
    private void Sweep()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        foreach (string sessionId in _unwritten.Keys)
        {
            if (_sessions.Find(sessionId) is not { } session)
            {
                // Gone from the registry: nothing will be written for it, and it must not keep the timer running.
                _unwritten.TryRemove(sessionId, out _);
            }
            else if (!_lastWritten.TryGetValue(sessionId, out DateTimeOffset last) || now - last >= UsageInterval)
            {
                Enqueue(session, opened: false);
            }
        }

        if (_unwritten.IsEmpty)
        {
            // Disarmed first, then marked so: a fill that arrives in between sees the mark and arms it again.
            _sweep?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Volatile.Write(ref _sweepArmed, 0);
            if (!_unwritten.IsEmpty)
            {
                ArmSweep();
            }
        }
    }

    /// <summary>Starts the sweep timer unless it runs already (a fill is waiting for <see cref="UsageInterval"/>).</summary>
    private void ArmSweep()
    {
        if (Interlocked.Exchange(ref _sweepArmed, 1) == 0)
        {
            _sweep?.Change(SweepInterval, SweepInterval);
        }
    }

    private void Enqueue(SessionInfo session, bool opened)
    {
        _lastWritten[session.SessionId] = _time.GetUtcNow();
        _unwritten.TryRemove(session.SessionId, out _);
        _toWrite.AddOrUpdate(session.SessionId, (session, opened), (_, waiting) => (session, opened || waiting.Opened));
        _wake.Writer.TryWrite(0);
    }

    private async Task WriteLoopAsync()
    {
        while (await _wake.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            await WriteWaitingAsync().ConfigureAwait(false);
        }

        // Stopping: what was queued since the last wake.
        await WriteWaitingAsync().ConfigureAwait(false);
    }

    /// <summary>Writes every session that waits, in one append; one the ledger refuses is left out, alone, and logged.</summary>
    private async Task WriteWaitingAsync()
    {
        var records = new List<SessionRecord>();
        foreach (string sessionId in _toWrite.Keys)
        {
            if (_toWrite.TryRemove(sessionId, out (SessionInfo Session, bool Opened) waiting))
            {
                records.Add((waiting.Opened ? KnownLineage(waiting.Session) : waiting.Session).ToRecord());
            }
        }

        await AppendAsync(records).ConfigureAwait(false);
    }

    private async Task AppendAsync(List<SessionRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        try
        {
            await _ledger.AppendAsync(records, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ArgumentException) when (records.Count > 1)
        {
            // One session the ledger refuses (an agent that named it "") must not take the others with it.
            foreach (SessionRecord record in records)
            {
                await AppendAsync([record]).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            LedgerWriteFailed(_log, ex, records[0].SessionId, records.Count);
        }
        catch (Exception ex)
        {
            RecordFailed(_log, ex, records[0].SessionId);
        }
    }

    /// <summary>
    /// A session reopened (<c>session/resume</c>, <c>session/load</c>) names no parent on the wire; if the ledger has
    /// it as a fork, the registry learns its parent, so <c>acphost ps</c> and <c>acphost sessions</c> say the same.
    /// Only for sessions this host did not see made; read here, on the write loop, never on the relay's.
    /// </summary>
    private SessionInfo KnownLineage(SessionInfo session)
    {
        if (session.ParentSessionId is not null || session.OpenedBy == Acp.AcpMethods.SessionNew)
        {
            return session;
        }

        try
        {
            if (_ledger.ReadAll().FirstOrDefault(record => record.SessionId == session.SessionId) is { ParentSessionId: { } parent } known)
            {
                _sessions.RecordLineage(session.SessionId, parent, known.ForkReason);
                return session with { ParentSessionId = parent, ForkReason = session.ForkReason ?? known.ForkReason };
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LedgerReadFailed(_log, ex, session.SessionId);
        }

        return session;
    }

    [LoggerMessage(EventId = 214, Level = LogLevel.Error, Message = "Could not record session {SessionId}; recording goes on with the next")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Could not write session {SessionId} (and {Count} in all) to the session ledger")]
    private static partial void LedgerWriteFailed(ILogger logger, Exception exception, string sessionId, int count);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "The session ledger's last write did not finish within {Budget}; the host ends without waiting for it")]
    private static partial void LastWriteLate(ILogger logger, TimeSpan budget);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "Could not read the session ledger for the lineage of {SessionId}")]
    private static partial void LedgerReadFailed(ILogger logger, Exception exception, string sessionId);
}
