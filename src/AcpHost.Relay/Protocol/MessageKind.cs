namespace AcpHost.Relay.Protocol;

/// <summary>What a JSON-RPC line is, decided from its top-level members alone.</summary>
public enum MessageKind : byte
{
    /// <summary>Not a valid JSON-RPC 2.0 message; <see cref="MessageInfo.Error"/> says why.</summary>
    Invalid,

    /// <summary>Has <c>method</c> and <c>id</c>: the other side owes a response.</summary>
    Request,

    /// <summary>Has <c>method</c> and no <c>id</c>.</summary>
    Notification,

    /// <summary>Has <c>id</c> and <c>result</c> or <c>error</c>.</summary>
    Response,
}
