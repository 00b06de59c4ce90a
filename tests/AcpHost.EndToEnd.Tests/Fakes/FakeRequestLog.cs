namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>Every request <see cref="FakeMessagesApi"/> received, oldest first, and the tests waiting for one. Thread-safe.</summary>
internal sealed class FakeRequestLog
{
    private readonly Lock _gate = new();
    private readonly List<FakeApiRequest> _requests = [];
    private readonly List<(Func<FakeApiRequest, bool> Match, TaskCompletionSource<FakeApiRequest> Done)> _waiters = [];

    /// <summary>A snapshot of every request received so far, oldest first.</summary>
    public IReadOnlyList<FakeApiRequest> Requests
    {
        get { lock (_gate) { return _requests.ToArray(); } }
    }

    /// <summary>Waits for the first request (already received or still to come) that matches <paramref name="match"/>.</summary>
    public async Task<FakeApiRequest> WaitForAsync(Func<FakeApiRequest, bool> match, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(match);
        var waiter = (Match: match, Done: new TaskCompletionSource<FakeApiRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            var seen = _requests.FirstOrDefault(match);
            if (seen is not null)
            {
                return seen;
            }

            _waiters.Add(waiter);
        }

        using (ct.Register(() =>
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }

            waiter.Done.TrySetCanceled(ct);
        }))
        {
            return await waiter.Done.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Adds a request and wakes the waiters it matches.</summary>
    public void Add(FakeApiRequest entry)
    {
        List<TaskCompletionSource<FakeApiRequest>>? matched = null;
        lock (_gate)
        {
            _requests.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    (matched ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        matched?.ForEach(done => done.TrySetResult(entry));
    }
}
