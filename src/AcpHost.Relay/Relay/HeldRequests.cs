using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The client's requests an interceptor holds back to let go later (<see cref="InterceptResult.Hold"/>): in flight as
/// much as those the agent has, so each still gets exactly one answer. Once the relay begins to end (the agent's input
/// is closing, so nothing let go could reach it) they stay where they are: the end answers every one, and one let go
/// after that is dropped. One held only after that (the client's pump was routing it as the end began) is answered at
/// once by the pump, with the same error.
/// </summary>
internal sealed class HeldRequests
{
    private readonly HashSet<RequestId> _held = [];
    private readonly Lock _lock = new();
    private bool _closed;

    /// <summary>True while a request with <paramref name="clientId"/> is held.</summary>
    public bool IsHeld(RequestId clientId)
    {
        lock (_lock)
        {
            return _held.Contains(clientId);
        }
    }

    /// <summary>
    /// Notes a request held back. False once the relay has begun to end: nothing notes it then, and whoever held it
    /// answers it (<see cref="JsonRpcRelay.ShuttingDown"/>), since the end may already have answered those it found.
    /// </summary>
    public bool Hold(RequestId clientId)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _held.Add(clientId);
            return true;
        }
    }

    /// <summary>A held request is let go: true when it goes on, false once the relay has begun to end (its end answers it).</summary>
    public bool Release(RequestId clientId)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _held.Remove(clientId);
            return true;
        }
    }

    /// <summary>The relay begins to end: what is held stays held, for its error.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }
    }

    /// <summary>Every request still held, taken for its error.</summary>
    public IReadOnlyList<RequestId> TakeAll()
    {
        lock (_lock)
        {
            RequestId[] all = [.. _held];
            _held.Clear();
            return all;
        }
    }
}
