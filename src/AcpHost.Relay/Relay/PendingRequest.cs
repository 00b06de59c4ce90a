using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>A client request the agent has not answered yet.</summary>
/// <param name="ClientId">The id the client used, to answer it with.</param>
/// <param name="AgentId">The id the agent saw: the same as <paramref name="ClientId"/> unless it was aliased.</param>
/// <param name="Method">The request's method, so the response can be matched to what it answers.</param>
/// <remarks>A value, not an object: one is made per client request, and the table holds it inline.</remarks>
public readonly record struct PendingRequest(RequestId ClientId, RequestId AgentId, string Method)
{
    /// <summary>True when the id was replaced on the way to the agent.</summary>
    public bool IsAliased => ClientId != AgentId;
}
