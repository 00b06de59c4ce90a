using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Tells the client of each new record: the user's notice (<see cref="INotices"/>), naming the fork that kept what the
/// compaction flattened and what its summary no longer names, then <c>_acphost/compaction</c>. The turn a compaction
/// happens in must not end on the client before its notice (a <c>/compact</c> is answered a few milliseconds before the
/// host has the counts), so the notice is expected from the compaction's first signal (<see cref="ExpectNotice"/>)
/// until it is out. Tellings run off the record loop, in order per session.
/// </summary>
/// <param name="notices">Where each compaction is told to the user.</param>
/// <param name="history">The sessions' forks, to name the one that kept what a compaction flattened.</param>
/// <param name="sessions">The relayed sessions (their working folders).</param>
/// <param name="watch">What each compaction's summary no longer names.</param>
/// <param name="client">The relay's outlet to the client, for <c>_acphost/compaction</c>.</param>
/// <param name="tracker">The compactions not recorded yet, whose notices are owed.</param>
/// <param name="log">The log.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source has no timer and no wait handle is ever asked of it, so there is nothing to dispose; disposing it could fail a telling still under way.")]
internal sealed partial class CompactionTeller(
    INotices notices, SessionHistory history, SessionRegistry sessions, FlattenedWatch watch, ClientChannel client, CompactionTracker tracker, ILogger<CompactionTeller> log)
{
    /// <summary>
    /// How long a notice waits for what the summary no longer names (the summary line reaches the transcript a few
    /// milliseconds after the compaction is reported): well inside the bound that holds the end of the turn for the
    /// notice (<c>NoticeDesk.TurnEndBound</c>, 2 s), so that past it the notice still comes inside its turn, without that
    /// line; <c>/compactions</c> shows it once it is read.
    /// </summary>
    internal static readonly TimeSpan FlattenedWait = TimeSpan.FromSeconds(1.2);

    // Each session's last telling, so a session's notices keep their order while the record loop goes on.
    private readonly ConcurrentDictionary<string, Task> _telling = new(StringComparer.Ordinal);

    // Cancelled when the final flush gives up on the client (it reads nothing): the tellings stuck on it end.
    private readonly CancellationTokenSource _notifying = new();

    /// <summary>On the relay's pump: a compaction the wire reports and the ledger has not recorded yet owes a notice.</summary>
    public void ExpectNotice(string sessionId, CompactionSignal signal)
    {
        if (signal.Key is not null && tracker.UnrecordedId(sessionId, signal.Key) is { } compactionId)
        {
            notices.Expect(NoticeKind.Compaction, sessionId, compactionId);
        }
    }

    /// <summary>On the relay's pump: the compaction <paramref name="compactionId"/> failed, so its expected notice is not coming.</summary>
    public void Withdraw(string sessionId, string compactionId) => notices.Fulfil(sessionId, compactionId);

    /// <summary>
    /// Tells the client of a new record off the record loop (its notice may wait for the summary line, and the ledger
    /// must not wait with it), after the session's earlier tellings.
    /// </summary>
    public void Tell(CompactionRecord record)
    {
        Task told = _telling.AddOrUpdate(
            record.SessionId,
            _ => Task.Run(() => TellContainedAsync(record)),
            (_, before) => before.ContinueWith(_ => TellContainedAsync(record), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap());
        _ = told.ContinueWith(_ => _telling.TryRemove(KeyValuePair.Create(record.SessionId, told)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Waits (bounded) for the tellings under way: at shutdown, what was recorded is still told. False when some were not done in time.</summary>
    public async Task<bool> ToldAsync(TimeSpan bound)
    {
        try
        {
            await Task.WhenAll(_telling.Values).WaitAsync(bound).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The host is ending and the client reads nothing: the tellings under way, and any later, end untold.</summary>
    public Task GiveUpAsync() => _notifying.CancelAsync();

    private async Task TellContainedAsync(CompactionRecord record)
    {
        try
        {
            await TellAsync(record, _notifying.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_notifying.IsCancellationRequested)
        {
            // The host is ending and the client is not reading: the record is in the ledger, the notice is not owed.
        }
        catch (Exception ex)
        {
            // One record that cannot be told must not stop the telling of the session's later ones.
            TellFailed(log, ex, record.Id, record.SessionId);
        }
    }

    /// <summary>
    /// The user's notice first, then <c>_acphost/compaction</c>; only then may the end of the turn it happened in go on.
    /// The notice comes first so that, by the time a client sees <c>_acphost/compaction</c>, the notice is out or waits
    /// for the session's next turn.
    /// </summary>
    private async Task TellAsync(CompactionRecord record, CancellationToken cancellationToken)
    {
        try
        {
            if (notices.IsOn(NoticeKind.Compaction))
            {
                SessionRecord? fork = SessionHistory.ForkBefore(history.Sessions(), history.CompactionsOf(record.SessionId), record);
                FlattenedSpecifics? flattened = record.Flattened
                    ?? await watch.WaitAsync(record.SessionId, record.BoundaryUuid, record.PreTokens, FlattenedWait).ConfigureAwait(false);
                HostNotice notice = CompactionNoticeText.For(record with { Flattened = flattened }, fork, sessions.Find(record.SessionId)?.Cwd);
                await notices.PostAsync(notice, cancellationToken).ConfigureAwait(false);
            }

            await client.NotifyAsync(AcpMethods.HostCompaction, CompactionNotices.Payload(record), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            notices.Fulfil(record.SessionId, record.Id);
        }
    }

    [LoggerMessage(EventId = 309, Level = LogLevel.Error, Message = "Could not tell the client of compaction {CompactionId} of session {SessionId}; telling goes on with the next")]
    private static partial void TellFailed(ILogger logger, Exception exception, string compactionId, string sessionId);
}
