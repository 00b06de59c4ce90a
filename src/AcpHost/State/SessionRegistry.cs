using AcpHost.Events;

namespace AcpHost.State;

/// <summary>
/// The sessions this host relays, learned from the traffic, shared by the features that need a session's cwd or its
/// context fill. Thread-safe; entries are immutable records replaced on change.
/// </summary>
/// <remarks>
/// A change is told twice, on purpose. The C# events (<see cref="SessionOpened"/>, <see cref="UsageChanged"/>) run on
/// the relay's thread before the message that caused them goes on, for the features that must act first (the
/// transcript following starts before the client can learn the session's id and prompt it). The bus
/// (<see cref="HostEventBus"/>) queues the same facts for the world outside (control plane, telemetry), which must never
/// hold the relay up.
/// </remarks>
/// <param name="events">Where an opened session and a fill change are published (<see cref="Events.SessionOpened"/>, <see cref="ContextFillChanged"/>).</param>
/// <param name="time">The clock for those events.</param>
internal sealed class SessionRegistry(HostEventBus? events = null, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, SessionInfo> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Raised (on the relay's thread) when a session is first seen or opened again.</summary>
    public event Action<SessionInfo>? SessionOpened;

    /// <summary>Records a session that was created, loaded, resumed or forked.</summary>
    public void Open(SessionInfo session)
    {
        ArgumentNullException.ThrowIfNull(session);
        SessionInfo stored = _sessions.AddOrUpdate(
            session.SessionId,
            session,
            (_, existing) => session with
            {
                UsedTokens = existing.UsedTokens,
                ContextWindow = existing.ContextWindow,
                Compactions = existing.Compactions,
                ParentSessionId = session.ParentSessionId ?? existing.ParentSessionId,
                ForkReason = session.ForkReason ?? existing.ForkReason,
                ForkNote = session.ForkNote ?? existing.ForkNote,
                ForkUsedTokens = session.ForkUsedTokens ?? existing.ForkUsedTokens,
            });
        SessionOpened?.Invoke(stored);
        events?.Publish(new Events.SessionOpened
        {
            SessionId = stored.SessionId,
            Cwd = stored.Cwd,
            OpenedBy = stored.OpenedBy,
            ParentSessionId = stored.ParentSessionId,
            At = _time.GetUtcNow(),
        });
    }

    /// <summary>Raised when a session's context fill changes.</summary>
    public event Action<SessionInfo>? UsageChanged;

    /// <summary>
    /// Fills in where a session came from, learned after it was opened (a fork reopened with <c>session/resume</c>
    /// names no parent; the session ledger knows it). A parent already known stays.
    /// </summary>
    public void RecordLineage(string sessionId, string parentSessionId, string? forkReason) =>
        Update(sessionId, current => current.ParentSessionId is null ? current with { ParentSessionId = parentSessionId, ForkReason = current.ForkReason ?? forkReason } : current);

    /// <summary>Counts a compaction of a session the host relays.</summary>
    public void RecordCompaction(string sessionId) => Update(sessionId, current => current with { Compactions = current.Compactions + 1 });

    /// <summary>Records a <c>usage_update</c>. Ignored for a session never opened through this host.</summary>
    public void RecordUsage(string sessionId, long? used, long? size)
    {
        if (Update(sessionId, current => current with { UsedTokens = used ?? current.UsedTokens, ContextWindow = size ?? current.ContextWindow }) is { } updated)
        {
            UsageChanged?.Invoke(updated);

            // Fill changes arrive on the relay's thread several times a turn: build the event only for someone.
            if (events is { HasSubscribers: true } bus)
            {
                bus.Publish(new ContextFillChanged { SessionId = sessionId, UsedTokens = updated.UsedTokens, ContextWindow = updated.ContextWindow, At = _time.GetUtcNow() });
            }
        }
    }

    private SessionInfo? Update(string sessionId, Func<SessionInfo, SessionInfo> change)
    {
        while (_sessions.TryGetValue(sessionId, out SessionInfo? current))
        {
            SessionInfo updated = change(current);
            if (_sessions.TryUpdate(sessionId, updated, current))
            {
                return updated;
            }
        }

        return null;
    }

    /// <summary>
    /// Forgets a session the agent no longer has (lost in a restart, closed or deleted by the client): it is no longer
    /// live, for <c>acphost ps</c> and the control endpoint alike, nor reopened after a restart. Reopened by the client,
    /// it is recorded again.
    /// </summary>
    public void Forget(string sessionId) => _sessions.TryRemove(sessionId, out _);

    /// <summary>The session, if the host relays it.</summary>
    public SessionInfo? Find(string sessionId) => _sessions.TryGetValue(sessionId, out SessionInfo? session) ? session : null;

    /// <summary>Every session relayed so far.</summary>
    public IReadOnlyCollection<SessionInfo> All => [.. _sessions.Values];
}
