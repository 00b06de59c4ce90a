using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>
/// Events a subscriber was not given because it lagged behind by more than its queue holds: how many, from when, in the
/// place where they would have been. Never published; each subscription makes its own (<see cref="HostEventBus"/>).
/// </summary>
internal sealed record EventsDropped : HostEvent
{
    /// <summary>How many events were not kept.</summary>
    [JsonPropertyName("count")]
    public required int Count { get; init; }
}
