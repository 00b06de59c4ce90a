using AcpHost.Events;

namespace AcpHost.Control;

/// <summary>The control plane's wire form of the host's events: the <c>event/*</c> notifications of <c>protocol/README.md</c>.</summary>
internal static class ControlEvents
{
    /// <summary>The notification's method and params for an event, or null for events the control wire does not carry.</summary>
    public static (string Method, object Params)? ToNotification(HostEvent hostEvent) => hostEvent switch
    {
        // The wire sends each compaction once, as first recorded; later counts go to the ledger and `compactions`.
        CompactionRecorded { IsUpdate: false } c => (ControlMethods.CompactionEvent, new CompactionEvent
        {
            Id = c.Id,
            SessionId = c.SessionId,
            Trigger = c.Trigger,
            PreTokens = c.PreTokens,
            PostTokens = c.PostTokens,
            DurationMs = c.DurationMs,
            ContextWindow = c.ContextWindow,
            At = c.At,
            Source = c.Source,
            BoundaryUuid = c.BoundaryUuid,
        }),
        SessionForked f => (ControlMethods.ForkEventName, new ForkEvent
        {
            SessionId = f.SessionId,
            ParentSessionId = f.ParentSessionId,
            Reason = f.Reason,
            UsedTokens = f.UsedTokens,
            ContextWindow = f.ContextWindow,
            At = f.At,
        }),
        ContextFillChanged u => (ControlMethods.UsageEventName, new UsageEvent { SessionId = u.SessionId, UsedTokens = u.UsedTokens, ContextWindow = u.ContextWindow, At = u.At }),
        EventsDropped d => (ControlMethods.DroppedEventName, new DroppedEvent { Count = d.Count, At = d.At }),
        _ => null,
    };
}
