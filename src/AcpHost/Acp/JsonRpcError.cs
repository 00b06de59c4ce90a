using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>A JSON-RPC error object, as far as the host reads it.</summary>
internal sealed record JsonRpcError
{
    /// <summary>The error code.</summary>
    [JsonPropertyName("code")]
    public int Code { get; init; }

    /// <summary>The message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
