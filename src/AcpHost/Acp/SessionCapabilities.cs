using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The agent's <c>sessionCapabilities</c>: each present member (an object, usually empty) is offered.</summary>
internal sealed record SessionCapabilities
{
    /// <summary>Present when the agent takes <c>session/close</c>.</summary>
    [JsonPropertyName("close")]
    public JsonElement? Close { get; init; }

    /// <summary>Present when the agent takes <c>session/resume</c>.</summary>
    [JsonPropertyName("resume")]
    public JsonElement? Resume { get; init; }
}
