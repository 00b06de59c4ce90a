namespace AcpHost.Relay.Protocol;

/// <summary>Why a line was rejected: the JSON-RPC error code to answer with, and a message for people.</summary>
/// <param name="Code">One of <see cref="JsonRpcErrorCodes"/>.</param>
/// <param name="Message">A short explanation, sent to the peer and logged.</param>
public readonly record struct MessageError(int Code, string Message);
