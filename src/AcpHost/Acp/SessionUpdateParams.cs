using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The params of <c>session/update</c>.</summary>
internal sealed record SessionUpdateParams
{
    /// <summary>The session the update is about.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>The update.</summary>
    [JsonPropertyName("update")]
    public SessionUpdate? Update { get; init; }
}
