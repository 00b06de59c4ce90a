namespace AcpHost.Features.Recovery;

/// <summary>
/// Sessions a restarted agent would not take back, each with why: the client's next request naming one is answered by
/// the host with that reason (<see cref="LostSessionGuard"/>) instead of the agent's bare "not found". A session leaves
/// this list when the client reopens or closes it itself. Thread-safe.
/// </summary>
internal sealed class LostSessions
{
    private readonly ConcurrentDictionary<string, string> _reasons = new(StringComparer.Ordinal);

    /// <summary>True while no session is lost: the guard's check on every session request costs one read.</summary>
    public bool IsEmpty => _reasons.IsEmpty;

    /// <summary>Marks <paramref name="sessionId"/> lost, with the sentence that says why.</summary>
    public void Add(string sessionId, string reason) => _reasons[sessionId] = reason;

    /// <summary>Why <paramref name="sessionId"/> was lost, or null if it was not.</summary>
    public string? ReasonFor(string sessionId) => _reasons.TryGetValue(sessionId, out string? reason) ? reason : null;

    /// <summary>Whether the session was lost.</summary>
    public bool Contains(string sessionId) => _reasons.ContainsKey(sessionId);

    /// <summary>Forgets a session the client reopened or closed.</summary>
    public void Remove(string sessionId) => _reasons.TryRemove(sessionId, out _);
}
