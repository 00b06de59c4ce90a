using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The client's requests in flight, by the id the agent saw, plus the reverse map for aliased ids (so a cancel that
/// names the client's id reaches the agent with the alias). Once closed, when the agent is gone, nothing more is
/// accepted: a request that arrives after that is answered at once instead of waiting forever.
/// </summary>
public sealed class PendingRequests
{
    private readonly Dictionary<RequestId, PendingRequest> _byAgentId = [];
    private readonly Dictionary<RequestId, RequestId> _aliasByClientId = [];
    private readonly Lock _lock = new();
    private bool _closed;

    /// <summary>How many requests are in flight.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byAgentId.Count;
            }
        }
    }

    /// <summary>True when the client already has a request in flight with <paramref name="clientId"/>.</summary>
    public bool IsInFlight(RequestId clientId)
    {
        lock (_lock)
        {
            return _aliasByClientId.ContainsKey(clientId) || (_byAgentId.TryGetValue(clientId, out PendingRequest entry) && !entry.IsAliased);
        }
    }

    /// <summary>Records a request on its way to the agent. False when the table is closed (the agent is gone).</summary>
    public bool TryAdd(PendingRequest request)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _byAgentId[request.AgentId] = request;
            if (request.IsAliased)
            {
                _aliasByClientId[request.ClientId] = request.AgentId;
            }

            return true;
        }
    }

    /// <summary>Takes the request the agent's response with <paramref name="agentId"/> answers.</summary>
    public bool TryTake(RequestId agentId, out PendingRequest request)
    {
        lock (_lock)
        {
            if (!_byAgentId.Remove(agentId, out request))
            {
                return false;
            }

            if (request.IsAliased)
            {
                _aliasByClientId.Remove(request.ClientId);
            }

            return true;
        }
    }

    /// <summary>The id the agent knows a client request by, for a client's cancel notification.</summary>
    public bool TryGetAlias(RequestId clientId, out RequestId agentId)
    {
        lock (_lock)
        {
            return _aliasByClientId.TryGetValue(clientId, out agentId);
        }
    }

    /// <summary>Accepts requests again, for a restarted agent.</summary>
    public void Reopen()
    {
        lock (_lock)
        {
            _closed = false;
        }
    }

    /// <summary>Closes the table and returns every request still in flight, in no particular order.</summary>
    public IReadOnlyList<PendingRequest> Close()
    {
        lock (_lock)
        {
            _closed = true;
            var all = _byAgentId.Values.ToArray();
            _byAgentId.Clear();
            _aliasByClientId.Clear();
            return all;
        }
    }
}
