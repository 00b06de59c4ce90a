using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Acp;

/// <summary>
/// What the relay must know of ACP to relay it, and nothing more: the one place ACP's wire shapes enter
/// <c>AcpHost.Relay</c>, which otherwise knows JSON-RPC alone.
/// </summary>
public static class AcpDialect
{
    /// <summary>The cancel notification every ACP peer understands, and the member naming the request.</summary>
    public const string CancelRequest = "$/cancel_request";

    /// <summary>
    /// A streamed chunk of text, byte for byte as the ACP TypeScript SDK writes it
    /// (<c>{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":S,"update":{"sessionUpdate":S,"content":{"type":"text","text":S}}}}</c>):
    /// thousands arrive per turn, so the relay settles them by comparing bytes, and features that never act on one
    /// skip them unseen. Any other shape of the same notification (other members, another order, whitespace) is
    /// classified by the general scan and offered to every interceptor of <c>session/update</c>.
    /// </summary>
    public static LineTemplate TextChunk { get; } = new(
        "{\"jsonrpc\":\"2.0\",\"method\":\"" + AcpMethods.SessionUpdate + "\",\"params\":{\"sessionId\":",
        ",\"update\":{\"sessionUpdate\":",
        ",\"content\":{\"type\":\"text\",\"text\":",
        "}}}}");

    /// <summary>The dialect the relay is given.</summary>
    public static RelayDialect Instance { get; } = new()
    {
        Cancel = new CancelNotification(CancelRequest, "requestId"),
        Chunk = TextChunk,
        AgentTrimsLines = true,
        AgentMaxLineBytes = AgentMaxLineBytes,
    };

    /// <summary>
    /// The longest line the agent's ACP SDK reads (<c>DEFAULT_MAX_MESSAGE_BYTES</c> of <c>@agentclientprotocol/sdk</c>,
    /// 32 MiB, counted without the line ending): on a longer one it ends its input, and the agent exits.
    /// </summary>
    public const long AgentMaxLineBytes = 32L * 1024 * 1024;
}
