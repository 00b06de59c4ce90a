using System.Text.Json.Serialization;

namespace AcpHost.Features.Control;

/// <summary>A control <c>session/fork</c> request, as far as its params.</summary>
public sealed record ControlForkRequest
{
    /// <summary>The params.</summary>
    [JsonPropertyName("params")]
    public ControlForkParams? Params { get; init; }
}
