using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The parts of the agent's <c>initialize</c> result the host logs or acts on.</summary>
internal sealed record InitializeResult
{
    /// <summary>The protocol version the agent chose.</summary>
    [JsonPropertyName("protocolVersion")]
    public int? ProtocolVersion { get; init; }

    /// <summary>Who the agent says it is.</summary>
    [JsonPropertyName("agentInfo")]
    public ImplementationInfo? AgentInfo { get; init; }

    /// <summary>Who the agent says it is, in ACP v2 (which names the member <c>info</c>).</summary>
    [JsonPropertyName("info")]
    public ImplementationInfo? Info { get; init; }

    /// <summary>Who the agent says it is, in either version.</summary>
    [JsonIgnore]
    public ImplementationInfo? Agent => AgentInfo ?? Info;

    /// <summary>What the agent offers.</summary>
    [JsonPropertyName("agentCapabilities")]
    public AgentCapabilities? AgentCapabilities { get; init; }
}
