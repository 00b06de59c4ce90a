using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>
/// A fact the host learned and tells whoever listens (the control plane's <c>events/subscribe</c> connections today;
/// any exporter tomorrow). Features publish these on <see cref="HostEventBus"/> and never name a subscriber's types;
/// subscribers map them onto their own wire contracts. The control plane's <c>event/*</c> notifications carry an event
/// as it is (its JSON names are that contract, protocol/README.md), so a field added here reaches <c>acphost watch</c>
/// without a copy to keep in step.
/// </summary>
internal abstract record HostEvent
{
    /// <summary>When it happened (UTC).</summary>
    [JsonPropertyName("at")]
    public required DateTimeOffset At { get; init; }
}
