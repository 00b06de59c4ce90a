namespace AcpHost.State;

/// <summary>
/// What the client negotiated in <c>initialize</c>: the protocol version the agent answered with, and whether the
/// client shows notices. Everything the host writes to the client itself (its answers to commands, its notices, what it
/// sends on an agent restart) is shaped by this, so that a v2 client never gets v1's shapes and a client that cannot
/// show a <c>notice</c> update gets the agent's own fallback instead. Until the agent answers, the client is v1.
/// </summary>
internal sealed class ClientProfile
{
    private volatile int _version = 1;
    private volatile bool _declaresNotices;

    /// <summary>The protocol version in force: the agent's answer to the client's <c>initialize</c>.</summary>
    public int ProtocolVersion => _version;

    /// <summary>True for ACP v2: prompts answered with <c>{messageId}</c>, turns told by <c>state_update</c>.</summary>
    public bool IsV2 => _version >= 2;

    /// <summary>
    /// True when the client can show a <c>notice</c> session update: a v1 client that declared
    /// <c>clientCapabilities.session.notices</c>, and every v2 client (notices are part of v2's baseline).
    /// </summary>
    public bool ShowsNotices => IsV2 || _declaresNotices;

    /// <summary>The client's <c>initialize</c> went to the agent; <paramref name="declaresNotices"/> as it declared.</summary>
    public void ClientInitializing(bool declaresNotices) => _declaresNotices = declaresNotices;

    /// <summary>The agent answered <c>initialize</c> with <paramref name="protocolVersion"/>.</summary>
    public void Negotiated(int protocolVersion) => _version = protocolVersion;
}
