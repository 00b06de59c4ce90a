using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>The result of the control endpoint's <c>session/fork</c>.</summary>
internal sealed record ControlForkResult
{
    /// <summary>The new session.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary>The session forked.</summary>
    [JsonPropertyName("parentSessionId")]
    public required string ParentSessionId { get; init; }
}
