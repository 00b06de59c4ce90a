using System.Threading.Channels;

namespace AcpHost.Events;

/// <summary>The subscriber's side of <see cref="HostEventBus"/>.</summary>
internal sealed partial class HostEventBus
{
    /// <summary>
    /// One subscriber's queue. Every event is kept in order, except that a session's context fill takes the place of
    /// the one of that session still waiting (a fill is a level: only the latest counts), so a flood of
    /// <c>usage_update</c>s never crowds out a compaction or a fork. Bounded all the same: beyond
    /// <c>queueLength</c> waiting events (or sessions with a fill waiting), events are counted instead of kept, and the
    /// reader gets one <see cref="EventsDropped"/> with the count where they would have been. Thread-safe; one reader.
    /// </summary>
    public sealed class Subscription : IDisposable
    {
        private readonly HostEventBus _owner;
        private readonly int _length;
        private readonly TimeProvider _time;
        private readonly Lock _lock = new();

        // Events in order: a HostEvent, a session whose latest fill waits in _fills, or a count of events dropped.
        private readonly Queue<object> _queue = new();
        private readonly Dictionary<string, ContextFillChanged> _fills = new(StringComparer.Ordinal);

        // One pending wake is enough: the reader takes everything queued each time.
        private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        private int _kept;
        private DropCount? _counting;
        private bool _completed;

        internal Subscription(HostEventBus owner, int queueLength, TimeProvider time)
        {
            _owner = owner;
            _length = queueLength;
            _time = time;
            Reader = new QueueReader(this);
        }

        /// <summary>The events, in order; it ends once the subscription is disposed and what was queued is read.</summary>
        public ChannelReader<HostEvent> Reader { get; }

        /// <inheritdoc/>
        public void Dispose()
        {
            _owner.Remove(this);
            lock (_lock)
            {
                _completed = true;
            }

            _wake.Writer.TryComplete();
        }

        internal void Enqueue(HostEvent hostEvent)
        {
            lock (_lock)
            {
                if (_completed)
                {
                    return;
                }

                if (hostEvent is ContextFillChanged fill && _fills.ContainsKey(fill.SessionId))
                {
                    _fills[fill.SessionId] = fill;
                    return;
                }

                if (hostEvent is ContextFillChanged ? _fills.Count >= _length : _kept >= _length)
                {
                    if (_counting is null)
                    {
                        _counting = new DropCount(_time.GetUtcNow());
                        _queue.Enqueue(_counting);
                    }

                    _counting.Count++;
                    return;
                }

                if (hostEvent is ContextFillChanged opened)
                {
                    _fills[opened.SessionId] = opened;
                    _queue.Enqueue(opened.SessionId);
                }
                else
                {
                    _queue.Enqueue(hostEvent);
                    _kept++;
                }

                _counting = null;
            }

            _wake.Writer.TryWrite(0);
        }

        private bool TryTake(out HostEvent item)
        {
            lock (_lock)
            {
                if (!_queue.TryDequeue(out object? next))
                {
                    item = null!;
                    return false;
                }

                switch (next)
                {
                    case string sessionId:
                        _fills.Remove(sessionId, out ContextFillChanged? fill);
                        item = fill!;
                        break;
                    case DropCount dropped:
                        if (ReferenceEquals(dropped, _counting))
                        {
                            _counting = null;
                        }

                        item = new EventsDropped { Count = dropped.Count, At = dropped.Since };
                        break;
                    default:
                        _kept--;
                        item = (HostEvent)next;
                        break;
                }

                return true;
            }
        }

        private bool IsEmpty(out bool completed)
        {
            lock (_lock)
            {
                completed = _completed;
                return _queue.Count == 0;
            }
        }

        private sealed class DropCount(DateTimeOffset since)
        {
            public DateTimeOffset Since { get; } = since;

            public int Count { get; set; }
        }

        private sealed class QueueReader(Subscription subscription) : ChannelReader<HostEvent>
        {
            public override bool TryRead(out HostEvent item) => subscription.TryTake(out item);

            public override async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
            {
                while (true)
                {
                    if (!subscription.IsEmpty(out bool completed))
                    {
                        return true;
                    }

                    if (completed || !await subscription._wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return !subscription.IsEmpty(out _);
                    }

                    subscription._wake.Reader.TryRead(out _);
                }
            }
        }
    }
}
