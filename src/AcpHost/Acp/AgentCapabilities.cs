using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The parts of the agent's <c>agentCapabilities</c> the host acts on.</summary>
internal sealed record AgentCapabilities
{
    /// <summary>What the agent can do with sessions beyond new/prompt (unstable in ACP).</summary>
    [JsonPropertyName("sessionCapabilities")]
    public SessionCapabilities? SessionCapabilities { get; init; }
}
