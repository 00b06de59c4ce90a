namespace AcpHost.Relay.Protocol;

/// <summary>
/// The ids the host uses towards the agent. They are strings with a fixed prefix; a client request whose id also
/// starts with that prefix is given a fresh host id on the way in and its own id back on the way out. So every
/// other client id passes untouched, and no client id, whatever it is, can ever meet a host id at the agent.
/// </summary>
public sealed class HostIdSpace
{
    /// <summary>The prefix of every id the host sends to the agent.</summary>
    public const string Prefix = "acphost:";

    private long _next;

    /// <summary>A new id, never handed out before by this instance.</summary>
    public RequestId Next() => new(Prefix + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>True when <paramref name="id"/> lies in the host's id space.</summary>
    public static bool Contains(RequestId? id) =>
        id is { IsString: true } value && value.StartsWith(Prefix);
}
