namespace AcpHost.Features.Fork;

/// <summary>
/// Messages held back per session while the host does something to that session first (a fork, a reopen, an
/// announcement), then let go in the order they came. A session is held while anyone holds it and until its queue has
/// drained: a message that arrives meanwhile queues behind the others, so none overtakes another of its session.
/// Bounded: a queue that grows past <paramref name="maxLines"/> lines or <paramref name="maxBytes"/> bytes is reported
/// by <see cref="Enqueue"/>, and the caller lets it go early rather than buffer without limit. Thread-safe.
/// </summary>
internal sealed class HeldLines(int maxLines, long maxBytes)
{
    private readonly Dictionary<string, Held> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile int _active;

    /// <summary>True when any session is held or draining: the cheap check before anything is decoded.</summary>
    public bool Any => _active > 0;

    /// <summary>Holds a session's messages until a matching <see cref="ReleaseAsync"/>.</summary>
    public void Hold(string sessionId)
    {
        lock (_lock)
        {
            StateOf(sessionId).Holds++;
        }
    }

    /// <summary>
    /// Holds the session, as <see cref="Hold"/>, and queues <paramref name="line"/> in the same step: a release between
    /// a hold and an enqueue would let an empty queue go, and the line, queued behind nobody, would never be sent.
    /// False when the line overfilled the queue.
    /// </summary>
    public bool HoldWith(string sessionId, ReadOnlyMemory<byte> line)
    {
        lock (_lock)
        {
            Held held = StateOf(sessionId);
            held.Holds++;
            return Add(held, line);
        }
    }

    /// <summary>True when the session is held or its held messages are still being let go.</summary>
    public bool IsHeld(string sessionId)
    {
        lock (_lock)
        {
            return _sessions.ContainsKey(sessionId);
        }
    }

    /// <summary>
    /// Queues a copy of <paramref name="line"/> behind the session's held messages. Null when the session is not held
    /// (the caller sends it on); otherwise true while the queue is within bounds, false when this line overfilled it.
    /// </summary>
    public bool? Enqueue(string sessionId, ReadOnlyMemory<byte> line)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(sessionId, out Held? held))
            {
                return null;
            }

            return Add(held, line);
        }
    }

    /// <summary>
    /// Drops one hold (every hold when <paramref name="all"/>); when none is left, sends the held messages through
    /// <paramref name="send"/> in order, including those that arrive while it does. Returns when they are sent, or at
    /// once when the session is still held or another caller is already sending them.
    /// </summary>
    public async Task ReleaseAsync(string sessionId, Func<ReadOnlyMemory<byte>, ValueTask> send, bool all = false)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(sessionId, out Held? held))
            {
                return;
            }

            held.Holds = all ? 0 : Math.Max(0, held.Holds - 1);
            if (held.Holds > 0 || held.Draining)
            {
                return;
            }

            held.Draining = true;
        }

        while (Next(sessionId) is { } line)
        {
            await send(line).ConfigureAwait(false);
        }
    }

    /// <summary>Every session with held messages or holds, for a final release.</summary>
    public IReadOnlyList<string> Sessions
    {
        get
        {
            lock (_lock)
            {
                return [.. _sessions.Keys];
            }
        }
    }

    /// <summary>The next line to send, or null when the queue is empty (the session is then free) or held again.</summary>
    private byte[]? Next(string sessionId)
    {
        lock (_lock)
        {
            Held held = _sessions[sessionId];
            if (held.Holds > 0)
            {
                held.Draining = false;
                return null;
            }

            if (held.Lines.TryDequeue(out byte[]? line))
            {
                held.Bytes -= line.Length;
                return line;
            }

            _sessions.Remove(sessionId);
            _active = _sessions.Count;
            return null;
        }
    }

    /// <summary>Queues a copy of the line; false when the queue is now past its bounds. Under the lock.</summary>
    private bool Add(Held held, ReadOnlyMemory<byte> line)
    {
        held.Lines.Enqueue(line.ToArray());
        held.Bytes += line.Length;
        return held.Lines.Count <= maxLines && held.Bytes <= maxBytes;
    }

    private Held StateOf(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out Held? held))
        {
            _sessions[sessionId] = held = new Held();
            _active = _sessions.Count;
        }

        return held;
    }

    private sealed class Held
    {
        public int Holds { get; set; }

        public bool Draining { get; set; }

        public Queue<byte[]> Lines { get; } = new();

        public long Bytes { get; set; }
    }
}
