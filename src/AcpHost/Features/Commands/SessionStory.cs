using AcpHost.Events;
using AcpHost.State;

namespace AcpHost.Features.Commands;

/// <summary>What the host knows of one session when asked: every session's lineage and every compaction, read once.</summary>
/// <param name="SessionId">The session asked about.</param>
/// <param name="Sessions">Every known session, by id.</param>
/// <param name="Compactions">Every recorded compaction, oldest first.</param>
internal sealed record SessionStory(string SessionId, IReadOnlyDictionary<string, SessionRecord> Sessions, IReadOnlyList<CompactionRecord> Compactions)
{
    /// <summary>Reads it (from disk: call off the relay's path).</summary>
    public static SessionStory Read(SessionHistory history, string sessionId) => new(sessionId, history.Sessions(), history.Compactions());

    /// <summary>The session itself, if known.</summary>
    public SessionRecord? Session => Sessions.GetValueOrDefault(SessionId);

    /// <summary>The compactions of <paramref name="sessionId"/>, oldest first.</summary>
    public IReadOnlyList<CompactionRecord> CompactionsOf(string sessionId) => [.. Compactions.Where(c => c.SessionId == sessionId)];

    /// <summary>The forks of <paramref name="sessionId"/>, oldest first.</summary>
    public IReadOnlyList<SessionRecord> ForksOf(string sessionId) => SessionHistory.ForksOf(Sessions, sessionId);

    /// <summary>The fork that holds what <paramref name="compaction"/> flattened, if any.</summary>
    public SessionRecord? ForkBefore(CompactionRecord compaction) =>
        SessionHistory.ForkBefore(Sessions, CompactionsOf(compaction.SessionId), compaction);

    /// <summary>The first compaction of <paramref name="fork"/>'s parent after it was taken: what the fork holds history from before.</summary>
    public CompactionRecord? ParentCompactionAfter(SessionRecord fork) =>
        fork.ParentSessionId is { } parent && fork.CreatedAt is { } at
            ? CompactionsOf(parent).FirstOrDefault(c => c.At >= at)
            : null;
}
