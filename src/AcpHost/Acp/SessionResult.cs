using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The part of a session-creating result the host keeps.</summary>
internal sealed record SessionResult
{
    /// <summary>The session id (absent from <c>session/load</c> results, which answer for the id in the params).</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }
}
