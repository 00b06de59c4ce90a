using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>The parts of <c>session/new</c>, <c>load</c>, <c>resume</c> and <c>fork</c> params the host keeps.</summary>
internal sealed record SessionParams
{
    /// <summary>The session named (load, resume, fork); absent for <c>session/new</c>.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>The session's working directory.</summary>
    [JsonPropertyName("cwd")]
    public string? Cwd { get; init; }

    /// <summary>The MCP servers the session was opened with, kept as sent so a fork can pass them on.</summary>
    [JsonPropertyName("mcpServers")]
    public JsonElement? McpServers { get; init; }
}
