using AcpHost.Acp;

namespace AcpHost.State;

/// <summary>
/// The host's notices to the user, shown where the user works (the Notices feature implements it): features post what
/// happened, and the notice reaches the client at the right moment, in the client's own terms. A feature that knows a
/// notice is coming for the turn that is running says so first (<see cref="Expect"/>), so that the end of that turn is
/// held back (bounded) until the notice is out instead of the notice landing in a later turn.
/// </summary>
internal interface INotices
{
    /// <summary>Whether notices of <paramref name="kind"/> are switched on.</summary>
    bool IsOn(NoticeKind kind);

    /// <summary>
    /// Shows <paramref name="notice"/>: at once when the client shows notices or the session is in a turn, else first in
    /// that session's next turn. Returns when it is written (or queued for the next turn); does nothing for a kind
    /// switched off.
    /// </summary>
    ValueTask PostAsync(HostNotice notice, CancellationToken cancellationToken);

    /// <summary>
    /// A notice of <paramref name="kind"/> is coming for <paramref name="sessionId"/> under <paramref name="key"/>: the
    /// end of the session's turn waits for <see cref="Fulfil"/> of that key (at most a bound). Ignored for a kind
    /// switched off.
    /// </summary>
    void Expect(NoticeKind kind, string sessionId, string key);

    /// <summary>What was expected under <paramref name="key"/> is out (or will not come).</summary>
    void Fulfil(string sessionId, string key);

    /// <summary>
    /// When the session's running turn ends, <paramref name="build"/> runs (off the relay's path) and what it returns is
    /// shown inside that turn, before its end reaches the client. Ignored for a kind switched off.
    /// </summary>
    void AtTurnEnd(NoticeKind kind, string sessionId, Func<CancellationToken, Task<HostNotice?>> build);
}
