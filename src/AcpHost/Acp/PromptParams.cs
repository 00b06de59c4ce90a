using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The parts of <c>session/prompt</c> params the host reads.</summary>
public sealed record PromptParams
{
    /// <summary>The session prompted.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>The prompt's content blocks.</summary>
    [JsonPropertyName("prompt")]
    public IReadOnlyList<ContentBlock>? Prompt { get; init; }
}
