namespace AcpHost.Relay.Relay;

/// <summary>What happens to an intercepted message.</summary>
public enum InterceptAction : byte
{
    /// <summary>It goes on exactly as it came.</summary>
    Forward,

    /// <summary>Other bytes go on in its place.</summary>
    Replace,

    /// <summary>It stops here; the interceptor has answered it or has no use for it downstream.</summary>
    Consume,

    /// <summary>
    /// It stops here for now: the interceptor keeps it and lets it go later (<see cref="IRelayOutlet.ResumeClientMessageAsync"/>).
    /// A client request held so still counts as in flight.
    /// </summary>
    Hold,
}
