using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The params of the host's <c>_acphost/session/fork</c> request.</summary>
internal sealed record HostForkParams
{
    /// <summary>The session to fork.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>Root the fork at this <c>agent_message_chunk.messageId</c>.</summary>
    [JsonPropertyName("messageId")]
    public string? MessageId { get; init; }

    /// <summary>The fork's working directory; default the parent's.</summary>
    [JsonPropertyName("cwd")]
    public string? Cwd { get; init; }

    /// <summary>Its MCP servers; default the parent's.</summary>
    [JsonPropertyName("mcpServers")]
    public JsonElement? McpServers { get; init; }
}
