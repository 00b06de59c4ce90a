using AcpHost.Events;

namespace AcpHost.Control;

/// <summary>The control plane's wire form of the host's events: the <c>event/*</c> notifications of <c>protocol/README.md</c>.</summary>
internal static class ControlEvents
{
    /// <summary>The notification's method and params for an event, or null for events the control wire does not carry.</summary>
    public static (string Method, object Params)? ToNotification(HostEvent hostEvent) => hostEvent switch
    {
        // The wire sends each compaction once, as first recorded; later counts go to the ledger and `compactions`.
        CompactionRecorded { IsUpdate: false } c => (ControlMethods.CompactionEvent, c.Record),
        SessionForked f => (ControlMethods.ForkEventName, f),
        ContextFillChanged u => (ControlMethods.UsageEventName, u),
        EventsDropped d => (ControlMethods.DroppedEventName, d),
        _ => null,
    };
}
