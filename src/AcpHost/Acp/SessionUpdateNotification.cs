using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>A <c>session/update</c> notification, as far as the host reads it.</summary>
internal sealed record SessionUpdateNotification
{
    /// <summary>The params.</summary>
    [JsonPropertyName("params")]
    public SessionUpdateParams? Params { get; init; }
}
