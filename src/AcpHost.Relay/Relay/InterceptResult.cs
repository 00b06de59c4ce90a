namespace AcpHost.Relay.Relay;

/// <summary>An interceptor's decision about one message.</summary>
public readonly struct InterceptResult
{
    private InterceptResult(InterceptAction action, ReadOnlyMemory<byte> replacement)
    {
        Action = action;
        Replacement = replacement;
    }

    /// <summary>Forward, replace or consume.</summary>
    public InterceptAction Action { get; }

    /// <summary>The bytes to send instead, for <see cref="InterceptAction.Replace"/>: one JSON-RPC message, no line ending.</summary>
    public ReadOnlyMemory<byte> Replacement { get; }

    /// <summary>Let the message go on unchanged.</summary>
    public static InterceptResult Forward => default;

    /// <summary>Stop the message here.</summary>
    public static InterceptResult Consume => new(InterceptAction.Consume, default);

    /// <summary>Send <paramref name="message"/> in its place.</summary>
    public static InterceptResult Replace(ReadOnlyMemory<byte> message) => new(InterceptAction.Replace, message);
}
