using System.Buffers;
using System.Threading.Channels;
using AcpHost.Relay.Protocol;

namespace AcpHost.Features;

/// <summary>
/// Fan-out of the host's events (compactions, forks, context fill) to whoever subscribed: today the control endpoint's
/// <c>events/subscribe</c> connections. Each subscriber gets a bounded queue; one that falls behind by more than
/// <see cref="QueueLength"/> events is cut off instead of slowing the publisher, which is the relay.
/// </summary>
public sealed class HostEvents
{
    /// <summary>How many events a subscriber may lag behind before it is dropped.</summary>
    public const int QueueLength = 1024;

    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscribers = [];
    private int _subscriberCount;

    /// <summary>True while anyone listens: publishers can skip building an event nobody will read.</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscriberCount) > 0;

    /// <summary>Publishes a notification (the JSON-RPC line is built once for every subscriber). Never waits.</summary>
    public void Publish(string method, ReadOnlySpan<byte> paramsJson)
    {
        if (!HasSubscribers)
        {
            return;
        }

        Subscription[] subscribers;
        lock (_lock)
        {
            if (_subscribers.Count == 0)
            {
                return;
            }

            subscribers = [.. _subscribers];
        }

        var line = new ArrayBufferWriter<byte>(paramsJson.Length + 64);
        JsonRpcWriter.WriteNotification(line, method, paramsJson);
        ReadOnlyMemory<byte> message = line.WrittenMemory;
        foreach (Subscription subscriber in subscribers)
        {
            if (!subscriber.TryEnqueue(message))
            {
                Remove(subscriber);
                subscriber.Drop();
            }
        }
    }

    /// <summary>A new subscription: read notifications (complete JSON-RPC lines, no line ending) from it; dispose to leave.</summary>
    public Subscription Subscribe()
    {
        var subscription = new Subscription(this);
        lock (_lock)
        {
            _subscribers.Add(subscription);
            _subscriberCount = _subscribers.Count;
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
            _subscriberCount = _subscribers.Count;
        }
    }

    /// <summary>One subscriber's queue.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly HostEvents _owner;
        private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(QueueLength) { SingleReader = true });
        private readonly CancellationTokenSource _dropped = new();

        internal Subscription(HostEvents owner) => _owner = owner;

        /// <summary>The notifications, in order.</summary>
        public ChannelReader<ReadOnlyMemory<byte>> Reader => _queue.Reader;

        /// <summary>Cancelled when the subscriber fell too far behind and was cut off: stop delivering, close the connection.</summary>
        public CancellationToken Dropped => _dropped.Token;

        /// <inheritdoc/>
        public void Dispose()
        {
            _owner.Remove(this);
            _queue.Writer.TryComplete();
            _dropped.Dispose();
        }

        internal bool TryEnqueue(ReadOnlyMemory<byte> message) => _queue.Writer.TryWrite(message);

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
