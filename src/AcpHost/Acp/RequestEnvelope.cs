using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>A request or notification with typed params; every other member is ignored.</summary>
internal sealed record RequestEnvelope<TParams>
{
    /// <summary>The params.</summary>
    [JsonPropertyName("params")]
    public TParams? Params { get; init; }
}
