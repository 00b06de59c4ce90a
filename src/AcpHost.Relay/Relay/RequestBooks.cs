using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The requests in flight to the agent, by id: the client's (with the aliases the agent knows them by) and the host's
/// own, and the host's id space both draw on. They close together when the agent goes and reopen for a new one.
/// </summary>
internal sealed class RequestBooks
{
    /// <summary>The client's requests the agent has not answered yet.</summary>
    public PendingRequests Pending { get; } = new();

    /// <summary>The host's own requests the agent has not answered yet.</summary>
    public HostRequests HostRequests { get; } = new();

    /// <summary>The host's ids, for its own requests and for client ids that would collide with them.</summary>
    public HostIdSpace Ids { get; } = new();

    /// <summary>The client's requests an interceptor holds back (<see cref="InterceptResult.Hold"/>).</summary>
    public HeldRequests Held { get; } = new();

    /// <summary>
    /// The agent is gone: the host's requests fail with <paramref name="exit"/> quoted, and the client's are returned
    /// for their error replies. Nothing new is taken until <see cref="Reopen"/>.
    /// </summary>
    public IReadOnlyList<PendingRequest> Close(AgentExit exit)
    {
        HostRequests.Close(new AgentUnavailableException($"The agent exited (code {exit.ExitCode})"));
        return Pending.Close();
    }

    /// <summary>A new agent takes requests again.</summary>
    public void Reopen()
    {
        Pending.Reopen();
        HostRequests.Reopen();
    }
}
