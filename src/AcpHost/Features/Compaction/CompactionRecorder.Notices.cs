using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.State;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The compaction notice: each new record is told to the user where they work (<see cref="INotices"/>), naming the
/// fork that kept what the compaction flattened. The turn a compaction happens in must not end on the client before
/// its notice (a <c>/compact</c> is answered a few milliseconds before the host has the counts), so the notice is
/// expected from the compaction's first signal until it is out.
/// </summary>
public sealed partial class CompactionRecorder
{
    private readonly INotices? _notices;
    private readonly SessionHistory? _history;

    /// <summary>On the relay's pump: a compaction the wire reports and the ledger has not recorded yet owes a notice.</summary>
    private void ExpectNotice(string sessionId, CompactionSignal signal)
    {
        if (_notices is not null && signal.Key is not null && _tracker.UnrecordedId(sessionId, signal.Key) is { } compactionId)
        {
            _notices.Expect(NoticeKind.Compaction, sessionId, compactionId);
        }
    }

    /// <summary>
    /// Tells the client of a new record: the user's notice (naming the fork that kept what the compaction flattened),
    /// then <c>_acphost/compaction</c>; only then may the end of the turn it happened in go on. The notice comes first so
    /// that, by the time a client sees <c>_acphost/compaction</c>, the notice is out or waits for the session's next turn.
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
                await _notices.PostAsync(CompactionNoticeText.For(record, fork), cancellationToken).ConfigureAwait(false);
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
