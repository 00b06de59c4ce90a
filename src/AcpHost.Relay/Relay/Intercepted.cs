using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>
/// What is left of a message after its interceptors: the line to send on (re-classified if replaced), or nothing; and
/// whether a request was held only once the relay had begun to end, so that whoever routed it answers it
/// (<see cref="HeldRequests.Hold"/>).
/// </summary>
internal readonly record struct Intercepted(bool Consumed, MessageInfo Info, ReadOnlyMemory<byte> Line, bool HeldAfterTheEnd = false);
