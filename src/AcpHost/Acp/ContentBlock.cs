using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>A content block, as far as the host reads it: its type and, for text, the text.</summary>
internal sealed record ContentBlock
{
    /// <summary><c>text</c>, <c>image</c>, <c>resource</c>, …</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>The text of a text block.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }
}
