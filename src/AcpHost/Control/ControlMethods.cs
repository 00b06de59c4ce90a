namespace AcpHost.Control;

/// <summary>The methods and notifications of the control endpoint (protocol/README.md, "Control endpoint").</summary>
internal static class ControlMethods
{
    /// <summary>Request: the host, its agent and its live sessions → <see cref="HostStatus"/>.</summary>
    public const string Status = "host/status";

    /// <summary>Request: fork a live session (<see cref="ControlForkParams"/> → <see cref="ControlForkResult"/>).</summary>
    public const string Fork = "session/fork";

    /// <summary>Request: start receiving events on this connection until it closes; answered with <c>{}</c>.</summary>
    public const string Subscribe = "events/subscribe";

    /// <summary>Notification: a compaction was recorded (params: the ledger record).</summary>
    public const string CompactionEvent = "event/compaction";

    /// <summary>Notification: a session was forked (params: <see cref="Events.SessionForked"/>).</summary>
    public const string ForkEventName = "event/fork";

    /// <summary>Notification: a session's context fill changed (params: <see cref="Events.ContextFillChanged"/>).</summary>
    public const string UsageEventName = "event/usage";

    /// <summary>
    /// Notification: events this subscriber was not given because it lagged too far behind (params: <see cref="Events.EventsDropped"/>),
    /// in the place where they would have been. Compactions and forks among them are in the ledgers.
    /// </summary>
    public const string DroppedEventName = "event/dropped";
}
