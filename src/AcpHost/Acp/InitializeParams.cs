using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The parts of the client's <c>initialize</c> params the host reads (ACP v1; a v2 client shows notices anyway).</summary>
internal sealed record InitializeParams
{
    /// <summary>The client's capabilities, as sent.</summary>
    [JsonPropertyName("clientCapabilities")]
    public JsonElement? ClientCapabilities { get; init; }

    /// <summary>
    /// True when the client declared <c>clientCapabilities.session.notices</c> as an object, which is what the agent
    /// itself asks before it sends a <c>notice</c> update (its <c>clientSupportsNotices</c>).
    /// </summary>
    public bool DeclaresNotices =>
        ClientCapabilities is { ValueKind: JsonValueKind.Object } capabilities
        && capabilities.TryGetProperty("session"u8, out JsonElement session) && session.ValueKind == JsonValueKind.Object
        && session.TryGetProperty("notices"u8, out JsonElement notices) && notices.ValueKind == JsonValueKind.Object;
}
