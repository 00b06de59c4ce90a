namespace AcpHost.Relay.Relay;

/// <summary>An interceptor's decision about one message.</summary>
public readonly struct InterceptResult
{
    private InterceptResult(InterceptAction action, ReadOnlyMemory<byte> replacement, Func<CancellationToken, Task>? continuation = null)
    {
        Action = action;
        Replacement = replacement;
        Continuation = continuation;
    }

    /// <summary>Forward, replace or consume.</summary>
    public InterceptAction Action { get; }

    /// <summary>The bytes to send instead, for <see cref="InterceptAction.Replace"/>: one JSON-RPC message, no line ending.</summary>
    public ReadOnlyMemory<byte> Replacement { get; }

    /// <summary>For a consumed message, the work that answers it, which the relay runs off its pumps (see <see cref="ConsumeThen"/>).</summary>
    public Func<CancellationToken, Task>? Continuation { get; }

    /// <summary>Let the message go on unchanged.</summary>
    public static InterceptResult Forward => default;

    /// <summary>Stop the message here.</summary>
    public static InterceptResult Consume => new(InterceptAction.Consume, default);

    /// <summary>
    /// Stop the message here and answer it with <paramref name="answer"/>, which the relay runs in the background: a
    /// request the host answers after a round trip to the agent (a fork) must never hold up the client's other
    /// messages. The token fires when the relay stops; the answer must then still be written (an error), bounded.
    /// </summary>
    public static InterceptResult ConsumeThen(Func<CancellationToken, Task> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(InterceptAction.Consume, default, answer);
    }

    /// <summary>
    /// Keep the message to let it go later with <see cref="IRelayOutlet.ResumeClientMessageAsync"/> (a session the host is
    /// working on first). A client request held so counts as in flight: its id cannot be reused meanwhile, and should
    /// the relay end before it is let go, it is answered with <c>-32603</c> like every other request in flight (and is
    /// then not relayed when let go).
    /// </summary>
    public static InterceptResult Hold => new(InterceptAction.Hold, default);

    /// <summary>Send <paramref name="message"/> in its place.</summary>
    public static InterceptResult Replace(ReadOnlyMemory<byte> message) => new(InterceptAction.Replace, message);
}
