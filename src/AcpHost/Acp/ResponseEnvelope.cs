using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>A response with a typed result; every other member is ignored.</summary>
internal sealed record ResponseEnvelope<TResult>
{
    /// <summary>The result, when the request succeeded.</summary>
    [JsonPropertyName("result")]
    public TResult? Result { get; init; }

    /// <summary>The error, when it failed.</summary>
    [JsonPropertyName("error")]
    public JsonRpcError? Error { get; init; }
}
