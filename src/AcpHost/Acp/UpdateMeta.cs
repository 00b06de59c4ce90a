using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The parts of an update's <c>_meta</c> the host reads. Kept as raw elements: their shapes are not ACP's to fix.</summary>
internal sealed record UpdateMeta
{
    /// <summary><c>_meta.claudeCode</c>, e.g. <c>{"toolName":"compact"}</c>.</summary>
    [JsonPropertyName("claudeCode")]
    public JsonElement? ClaudeCode { get; init; }

    /// <summary><c>_meta.jetbrains</c>, which may hold <c>air.contextCompaction</c>.</summary>
    [JsonPropertyName("jetbrains")]
    public JsonElement? JetBrains { get; init; }
}
