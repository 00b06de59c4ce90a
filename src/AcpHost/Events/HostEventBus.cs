namespace AcpHost.Events;

/// <summary>
/// Fan-out of the host's typed events (<see cref="HostEvent"/>) to whoever subscribed. Features publish; subscribers
/// (the control plane's <c>events/subscribe</c> connections, an exporter) read. Each subscriber gets a bounded queue
/// that never holds up the publisher, which is the relay: a session's context fill is kept once (its latest value), and
/// what a subscriber lags behind by more than its queue is counted and told to it (<see cref="EventsDropped"/>) instead
/// of kept. A subscriber is never cut off.
/// </summary>
/// <param name="time">The clock for <see cref="EventsDropped"/>.</param>
internal sealed partial class HostEventBus(TimeProvider? time = null)
{
    /// <summary>
    /// How many events other than fills a subscriber may lag behind before the next are counted instead of kept, and
    /// how many sessions' fills it may have waiting, unless it asks for another length.
    /// </summary>
    public const int QueueLength = 1024;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Subscription[] _subscribers = [];

    /// <summary>True while anyone listens: publishers can skip building an event nobody will read.</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>Hands the event to every subscriber. Never waits.</summary>
    public void Publish(HostEvent hostEvent)
    {
        ArgumentNullException.ThrowIfNull(hostEvent);
        foreach (Subscription subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Enqueue(hostEvent);
        }
    }

    /// <summary>A new subscription: read events from it, in order; dispose to leave.</summary>
    /// <param name="queueLength">How far it may lag before events are counted instead of kept.</param>
    public Subscription Subscribe(int queueLength = QueueLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLength, 1);
        var subscription = new Subscription(this, queueLength, _time);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
        }
    }
}
