using System.Text.Json.Serialization;
using AcpHost.Relay.Protocol;

namespace AcpHost.Acp;

/// <summary>The parts of <c>session/prompt</c> params the host reads.</summary>
internal sealed record PromptParams
{
    /// <summary>The session prompted.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>The prompt's content blocks.</summary>
    [JsonPropertyName("prompt")]
    public IReadOnlyList<ContentBlock>? Prompt { get; init; }

    /// <summary>
    /// The prompt's content blocks exactly as the client sent them (the last <c>params.prompt</c>, as the agent reads
    /// it), for an answer that echoes them (ACP v2's <c>user_message</c>); null when there are none.
    /// </summary>
    public static JsonElement? RawPromptOf(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("params"u8, out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("prompt"u8, out JsonElement prompt)
                ? prompt.Clone()
                : null;
    }
}
