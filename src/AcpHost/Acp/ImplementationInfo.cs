using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>An implementation's name and version, as ACP's <c>agentInfo</c> / <c>clientInfo</c> carry them.</summary>
internal sealed record ImplementationInfo
{
    /// <summary>Its name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Its version.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }
}
