using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The few facts of the protocol spoken over JSON-RPC that the relay itself acts on, handed to it in one piece so that
/// the relay knows no protocol but JSON-RPC. The host builds ACP's in <c>AcpHost.Acp.AcpDialect</c>; the relay reads
/// it once, when it is built, into fields of its routers, so the hot path asks no dialect anything per line.
/// </summary>
public sealed class RelayDialect
{
    /// <summary>Plain JSON-RPC: no cancel notification to follow through id aliases, no fast-path template.</summary>
    public static RelayDialect JsonRpc { get; } = new();

    /// <summary>
    /// The notification that cancels a request by id: a client's is rewritten to the alias the agent knows its request
    /// by, and the host sends one for a request of its own it stops waiting for. Null when the protocol has none.
    /// </summary>
    public CancelNotification? Cancel { get; init; }

    /// <summary>
    /// The exact shape of the line a peer sends most (for ACP, a streamed chunk of text), classified by comparing bytes
    /// and offered only to interceptors that want such lines (<see cref="IMessageInterceptor.WantsChunks"/>).
    /// Null for none.
    /// </summary>
    public LineTemplate? Chunk { get; init; }

    /// <summary>
    /// The agent trims each line it reads as JavaScript's <c>String.prototype.trim</c> does before parsing it (the ACP
    /// TypeScript SDK): a client's line padded with what only that trim removes (a BOM, NBSP, U+2028, …) is then read,
    /// and forwarded, without the padding (<see cref="JavaScriptTrim"/>), instead of being refused as not JSON.
    /// </summary>
    public bool AgentTrimsLines { get; init; }

    /// <summary>
    /// The longest line the agent reads, in bytes (without its line ending), when it has a limit of its own below the
    /// relay's (<see cref="RelayOptions.MaxMessageBytes"/>): a line the relay would write to the agent beyond it, relayed
    /// or the host's own, is refused instead (<c>-32600</c> to the client that sent it), because the agent would not
    /// just refuse it: the ACP TypeScript SDK ends its input on such a line, and the agent with it. Null for none.
    /// </summary>
    public long? AgentMaxLineBytes { get; init; }
}
