using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>What is left of a message after its interceptors: the line to send on (re-classified if replaced), or nothing.</summary>
internal readonly record struct Intercepted(bool Consumed, MessageInfo Info, ReadOnlyMemory<byte> Line);
