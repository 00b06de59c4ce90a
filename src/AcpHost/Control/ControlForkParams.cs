using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>The params of the control endpoint's <c>session/fork</c>.</summary>
internal sealed record ControlForkParams
{
    /// <summary>The live session to fork.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>Root the fork at this <c>agent_message_chunk.messageId</c>.</summary>
    [JsonPropertyName("messageId")]
    public string? MessageId { get; init; }
}
