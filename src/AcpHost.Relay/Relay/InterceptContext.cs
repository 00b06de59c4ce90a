using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>One message handed to an <see cref="IMessageInterceptor"/>.</summary>
public sealed class InterceptContext
{
    internal InterceptContext(Direction direction, MessageInfo info, string method, ReadOnlyMemory<byte> line, IRelayOutlet outlet)
    {
        Direction = direction;
        Info = info;
        Method = method;
        Line = line;
        Outlet = outlet;
    }

    /// <summary>Which peer sent it.</summary>
    public Direction Direction { get; }

    /// <summary>Its classification (kind, id, method).</summary>
    public MessageInfo Info { get; }

    /// <summary>Its method; for a response, the method of the request it answers.</summary>
    public string Method { get; }

    /// <summary>Its bytes, without line ending. Valid only until the interceptor returns: copy what you keep.</summary>
    public ReadOnlyMemory<byte> Line { get; }

    /// <summary>Lets the interceptor send messages of the host's own.</summary>
    public IRelayOutlet Outlet { get; }
}
