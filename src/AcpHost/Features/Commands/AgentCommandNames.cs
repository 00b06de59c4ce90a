namespace AcpHost.Features.Commands;

/// <summary>
/// Per session, the host's commands that yield to a command of the same name the agent offers there (learned from the
/// agent's command lists): such a prompt is the agent's to answer. Bounded by the sessions the host relays.
/// </summary>
internal sealed class AgentCommandNames
{
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _yielded = new(StringComparer.Ordinal);

    /// <summary>The agent's latest list for <paramref name="sessionId"/> holds these of the host's names.</summary>
    public void Offered(string sessionId, IReadOnlySet<string> yielded) => _yielded[sessionId] = yielded;

    /// <summary>True when the agent offers <paramref name="name"/> in <paramref name="sessionId"/> and the host's yields.</summary>
    public bool AgentOwns(string sessionId, string name) => _yielded.TryGetValue(sessionId, out IReadOnlySet<string>? names) && names.Contains(name);
}
