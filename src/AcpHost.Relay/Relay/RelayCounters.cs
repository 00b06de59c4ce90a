using System.Runtime.InteropServices;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Messages and bytes the relay received from each side, for whoever wants to report them (the telemetry's
/// counters). Each pair is written by the one pump thread of its direction with plain increments, no lock and no
/// interlocked operation, so counting costs the relay two additions per line; readers on other threads see values at
/// most a moment old through <see cref="Volatile"/> reads. The two directions sit on separate cache lines so the two
/// pump threads never contend for one. Beside them, the client's requests in flight, read from the relay's own table.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public sealed class RelayCounters
{
    [FieldOffset(64)] private long _clientMessages;
    [FieldOffset(72)] private long _clientBytes;
    [FieldOffset(192)] private long _agentMessages;
    [FieldOffset(200)] private long _agentBytes;

    // Set once, by the relay that counts here, before it runs; read by other threads.
    [FieldOffset(128)] private PendingRequests? _pending;

    /// <summary>Lines received from the client (before routing: a line the host answers itself counts too).</summary>
    public long ClientMessages => Volatile.Read(ref _clientMessages);

    /// <summary>Bytes of those lines, without their line endings.</summary>
    public long ClientBytes => Volatile.Read(ref _clientBytes);

    /// <summary>Lines received from the agent (any agent, across restarts).</summary>
    public long AgentMessages => Volatile.Read(ref _agentMessages);

    /// <summary>Bytes of those lines, without their line endings.</summary>
    public long AgentBytes => Volatile.Read(ref _agentBytes);

    /// <summary>
    /// The client's requests the agent has not answered yet (0 before a relay counts here): with the message counts,
    /// what tells that the relay is idle, and not waiting on a slow agent.
    /// </summary>
    public int RequestsInFlight => Volatile.Read(ref _pending)?.Count ?? 0;

    /// <summary>The relay whose requests <see cref="RequestsInFlight"/> counts.</summary>
    internal void CountRequestsOf(PendingRequests pending) => Volatile.Write(ref _pending, pending);

    /// <summary>Only the client's pump thread calls this.</summary>
    internal void CountClientLine(int bytes)
    {
        _clientMessages++;
        _clientBytes += bytes;
    }

    /// <summary>Only the agent's pump thread calls this (one agent pump at a time, across restarts).</summary>
    internal void CountAgentLine(int bytes)
    {
        _agentMessages++;
        _agentBytes += bytes;
    }
}
