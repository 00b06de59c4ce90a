using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>The params of <c>event/dropped</c>.</summary>
public sealed record DroppedEvent
{
    /// <summary>How many events were not sent to this subscriber.</summary>
    [JsonPropertyName("count")]
    public required int Count { get; init; }

    /// <summary>When the first of them was not kept (UTC).</summary>
    [JsonPropertyName("at")]
    public required DateTimeOffset At { get; init; }
}
