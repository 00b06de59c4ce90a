namespace AcpHost.Features.Recovery;

/// <summary>
/// What the client last chose, per session, in the order it chose it, and its <c>authenticate</c> params: what a
/// restarted agent must be told again so the user finds the session as they left it. Only choices the agent accepted
/// are kept. Thread-safe; bounded by the sessions the host relays times the keys the agent accepts for each.
/// </summary>
internal sealed class ClientChoices
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ClientChoice>> _bySession = new(StringComparer.Ordinal);
    private ReadOnlyMemory<byte>? _authenticate;

    /// <summary>The params of the client's last successful <c>authenticate</c>, if it sent one.</summary>
    public ReadOnlyMemory<byte>? Authenticate
    {
        get
        {
            lock (_gate)
            {
                return _authenticate;
            }
        }
    }

    /// <summary>Remembers the params of an <c>authenticate</c> the agent accepted.</summary>
    public void Authenticated(ReadOnlyMemory<byte> parameters)
    {
        lock (_gate)
        {
            _authenticate = parameters;
        }
    }

    /// <summary>
    /// Remembers <paramref name="choice"/> for <paramref name="sessionId"/>. An earlier choice of the same key is
    /// dropped and this one goes last: replaying the last of each in the order they were made ends in the same state.
    /// </summary>
    public void Record(string sessionId, ClientChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        lock (_gate)
        {
            if (!_bySession.TryGetValue(sessionId, out List<ClientChoice>? choices))
            {
                _bySession[sessionId] = choices = [];
            }

            choices.RemoveAll(earlier => earlier.Key == choice.Key);
            choices.Add(choice);
        }
    }

    /// <summary>The choices for <paramref name="sessionId"/>, oldest first.</summary>
    public IReadOnlyList<ClientChoice> For(string sessionId)
    {
        lock (_gate)
        {
            return _bySession.TryGetValue(sessionId, out List<ClientChoice>? choices) ? [.. choices] : [];
        }
    }
}
