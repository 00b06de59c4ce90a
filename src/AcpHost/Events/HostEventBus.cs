using System.Threading.Channels;

namespace AcpHost.Events;

/// <summary>
/// Fan-out of the host's typed events (<see cref="HostEvent"/>) to whoever subscribed. Features publish; subscribers
/// (the control plane's <c>events/subscribe</c> connections, an exporter) read. Each subscriber gets a bounded queue;
/// one that falls behind by more than its queue length is cut off instead of slowing the publisher, which is the relay.
/// </summary>
public sealed class HostEventBus
{
    /// <summary>How many events a subscriber may lag behind before it is dropped, unless it asks for another length.</summary>
    public const int QueueLength = 1024;

    private readonly Lock _lock = new();
    private Subscription[] _subscribers = [];

    /// <summary>True while anyone listens: publishers can skip building an event nobody will read.</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>Hands the event to every subscriber. Never waits.</summary>
    public void Publish(HostEvent hostEvent)
    {
        ArgumentNullException.ThrowIfNull(hostEvent);
        foreach (Subscription subscriber in Volatile.Read(ref _subscribers))
        {
            if (!subscriber.TryEnqueue(hostEvent))
            {
                Remove(subscriber);
                subscriber.Drop();
            }
        }
    }

    /// <summary>A new subscription: read events from it, in order; dispose to leave.</summary>
    /// <param name="queueLength">How far it may lag before it is cut off.</param>
    public Subscription Subscribe(int queueLength = QueueLength)
    {
        var subscription = new Subscription(this, queueLength);
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

    /// <summary>One subscriber's queue.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly HostEventBus _owner;
        private readonly Channel<HostEvent> _queue;
        private readonly CancellationTokenSource _dropped = new();

        internal Subscription(HostEventBus owner, int queueLength)
        {
            _owner = owner;
            _queue = Channel.CreateBounded<HostEvent>(new BoundedChannelOptions(queueLength) { SingleReader = true });
        }

        /// <summary>The events, in order.</summary>
        public ChannelReader<HostEvent> Reader => _queue.Reader;

        /// <summary>Cancelled when the subscriber fell too far behind and was cut off: stop delivering.</summary>
        public CancellationToken Dropped => _dropped.Token;

        /// <inheritdoc/>
        public void Dispose()
        {
            _owner.Remove(this);
            _queue.Writer.TryComplete();
            _dropped.Dispose();
        }

        internal bool TryEnqueue(HostEvent hostEvent) => _queue.Writer.TryWrite(hostEvent);

        internal void Drop()
        {
            _queue.Writer.TryComplete();
            try
            {
                _dropped.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The subscriber left at the same moment.
            }
        }
    }
}
