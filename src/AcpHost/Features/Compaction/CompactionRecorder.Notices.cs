using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.State;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The compaction notice: each new record is told to the user where they work (<see cref="INotices"/>), naming the
/// fork that kept what the compaction flattened and what its summary no longer names. The turn a compaction happens in
/// must not end on the client before its notice (a <c>/compact</c> is answered a few milliseconds before the host has
/// the counts), so the notice is expected from the compaction's first signal until it is out.
/// </summary>
internal sealed partial class CompactionRecorder
{
    /// <summary>
    /// How long a notice waits for what the summary no longer names (the summary line reaches the transcript a few
    /// milliseconds after the compaction is reported): well inside the bound that holds the end of the turn for the
    /// notice (<c>NoticeDesk.TurnEndBound</c>, 2 s), so that past it the notice still comes inside its turn, without that
    /// line; <c>/compactions</c> shows it once it is read.
    /// </summary>
    internal static readonly TimeSpan FlattenedWait = TimeSpan.FromSeconds(1.2);

    private readonly INotices? _notices;
    private readonly SessionHistory? _history;
    private readonly FlattenedWatch _flattened;

    // Each session's last telling, so a session's notices keep their order while the record loop goes on.
    private readonly ConcurrentDictionary<string, Task> _telling = new(StringComparer.Ordinal);

    /// <summary>On the relay's pump: a compaction the wire reports and the ledger has not recorded yet owes a notice.</summary>
    private void ExpectNotice(string sessionId, CompactionSignal signal)
    {
        if (_notices is not null && signal.Key is not null && _tracker.UnrecordedId(sessionId, signal.Key) is { } compactionId)
        {
            _notices.Expect(NoticeKind.Compaction, sessionId, compactionId);
        }
    }

    /// <summary>
    /// Tells the client of a new record off the record loop (its notice may wait for the summary line, and the ledger
    /// must not wait with it), after the session's earlier tellings.
    /// </summary>
    private void Tell(CompactionRecord record)
    {
        Task told = _telling.AddOrUpdate(
            record.SessionId,
            _ => Task.Run(() => TellContainedAsync(record)),
            (_, before) => before.ContinueWith(_ => TellContainedAsync(record), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap());
        _ = told.ContinueWith(_ => _telling.TryRemove(KeyValuePair.Create(record.SessionId, told)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

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
            RecordFailed(_log, ex, record.Id, record.SessionId);
        }
    }

    /// <summary>Waits (bounded) for the tellings under way: at shutdown, what was recorded is still told. False when some were not done in time.</summary>
    private async Task<bool> ToldAsync(TimeSpan bound)
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

    /// <summary>
    /// Tells the client of a new record: the user's notice (naming the fork that kept what the compaction flattened,
    /// and what the summary no longer names), then <c>_acphost/compaction</c>; only then may the end of the turn it
    /// happened in go on. The notice comes first so that, by the time a client sees <c>_acphost/compaction</c>, the
    /// notice is out or waits for the session's next turn.
    /// </summary>
    private async Task TellAsync(CompactionRecord record, CancellationToken cancellationToken)
    {
        try
        {
            if (_notices?.IsOn(NoticeKind.Compaction) == true)
            {
                SessionRecord? fork = _history is null
                    ? null
                    : SessionHistory.ForkBefore(_history.Sessions(), _history.CompactionsOf(record.SessionId), record);
                FlattenedSpecifics? flattened = record.Flattened
                    ?? await _flattened.WaitAsync(record.SessionId, record.BoundaryUuid, record.PreTokens, FlattenedWait).ConfigureAwait(false);
                HostNotice notice = CompactionNoticeText.For(record with { Flattened = flattened }, fork, _sessions.Find(record.SessionId)?.Cwd);
                await _notices.PostAsync(notice, cancellationToken).ConfigureAwait(false);
            }

            if (_outlet is { } outlet)
            {
                await outlet.NotifyClientAsync(AcpMethods.HostCompaction, CompactionNotices.Payload(record), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _notices?.Fulfil(record.SessionId, record.Id);
        }
    }
}
