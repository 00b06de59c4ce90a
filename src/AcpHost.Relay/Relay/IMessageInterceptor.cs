namespace AcpHost.Relay.Relay;

/// <summary>
/// A feature's hook into the relay: the only place where the relay hands a message to code that knows ACP.
/// The relay calls it only for the methods it names, so every other message is forwarded without a look.
/// </summary>
/// <remarks>
/// Interceptors run on the pump of the direction the message travels, in order, before it is forwarded. One on the
/// agent's side must never wait for an answer from the agent: that answer arrives on the very pump it would block.
/// An interceptor that throws is logged and its message forwarded unchanged: a feature's bug never loses a message.
/// </remarks>
public interface IMessageInterceptor
{
    /// <summary>
    /// The methods to see: requests and notifications with these names in either direction, and the agent's
    /// responses to client requests of these names (with <see cref="InterceptContext.Method"/> set to the request's).
    /// </summary>
    IReadOnlyCollection<string> Methods { get; }

    /// <summary>
    /// A cheap look at the raw bytes before anything is decoded or allocated: false lets the message pass this
    /// interceptor untouched. For methods as frequent as streamed updates, a byte search for a marker here keeps
    /// the relay's hot path flat.
    /// </summary>
    /// <param name="method">The message's method (for a response, the request's).</param>
    /// <param name="line">The message's bytes.</param>
    bool Wants(string method, ReadOnlyMemory<byte> line) => true;

    /// <summary>
    /// Whether to see lines of the dialect's chunk template at all (<see cref="Protocol.MessageInfo.IsChunk"/>; for ACP,
    /// streamed chunks of text): thousands arrive per turn, and a feature that never acts on one says false here, so the
    /// relay skips it for them without even calling <see cref="Wants"/>. Read once, when the relay is built.
    /// </summary>
    bool WantsChunks => true;

    /// <summary>Looks at one message and decides whether it goes on unchanged, changed, or not at all.</summary>
    ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken);
}
