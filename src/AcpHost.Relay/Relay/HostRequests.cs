using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>Requests the host sent to the agent, waiting for their responses.</summary>
public sealed class HostRequests
{
    private readonly Dictionary<RequestId, TaskCompletionSource<AgentResponse>> _waiting = [];
    private readonly Lock _lock = new();
    private Exception? _closedWith;

    /// <summary>Registers a request about to be sent; the task completes with the agent's response.</summary>
    public Task<AgentResponse> Register(RequestId id)
    {
        var completion = new TaskCompletionSource<AgentResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closedWith is not null)
            {
                completion.SetException(_closedWith);
            }
            else
            {
                _waiting.Add(id, completion);
            }
        }

        return completion.Task;
    }

    /// <summary>Delivers a response line. False when no host request has that id.</summary>
    public bool TryComplete(RequestId id, ReadOnlySpan<byte> line)
    {
        TaskCompletionSource<AgentResponse>? completion;
        lock (_lock)
        {
            if (!_waiting.Remove(id, out completion))
            {
                return false;
            }
        }

        completion.TrySetResult(AgentResponse.Parse(line));
        return true;
    }

    /// <summary>Fails one waiting request (its response could not be read). False when no host request has that id.</summary>
    public bool Fail(RequestId id, Exception reason)
    {
        TaskCompletionSource<AgentResponse>? completion;
        lock (_lock)
        {
            if (!_waiting.Remove(id, out completion))
            {
                return false;
            }
        }

        return completion.TrySetException(reason);
    }

    /// <summary>Forgets a request whose caller stopped waiting (cancelled or failed to send).</summary>
    public void Abandon(RequestId id)
    {
        lock (_lock)
        {
            _waiting.Remove(id);
        }
    }

    /// <summary>Accepts requests again, for a restarted agent.</summary>
    public void Reopen()
    {
        lock (_lock)
        {
            _closedWith = null;
        }
    }

    /// <summary>Fails every waiting request, and every later one, with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        TaskCompletionSource<AgentResponse>[] waiting;
        lock (_lock)
        {
            _closedWith ??= reason;
            waiting = [.. _waiting.Values];
            _waiting.Clear();
        }

        foreach (var completion in waiting)
        {
            completion.TrySetException(reason);
        }
    }
}
