namespace AcpHost.Events;

/// <summary>
/// A fact the host learned and tells whoever listens (the control plane's <c>events/subscribe</c> connections today;
/// any exporter tomorrow). Features publish these on <see cref="HostEventBus"/> and never name a subscriber's types;
/// subscribers map them onto their own wire contracts.
/// </summary>
public abstract record HostEvent
{
    /// <summary>When it happened (UTC).</summary>
    public required DateTimeOffset At { get; init; }
}
