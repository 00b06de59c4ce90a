using AcpHost.Relay.Protocol;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Work the host does off the pumps on behalf of a message it consumed (a fork it answers itself): it never holds up
/// the client's other messages, it can be cancelled, and the relay waits for it, bounded, before it closes the client's
/// output, so that its answers are written first.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source has no timer and no wait handle is ever asked of it, so there is nothing to dispose.")]
internal sealed class HostWork(ILogger log)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];
    private readonly HashSet<RequestId> _answering = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Whether the host is still answering the client's request <paramref name="clientId"/> itself: a request reusing
    /// that id must be refused like one reusing the id of a request the agent has, or the client gets two answers.
    /// </summary>
    public bool IsAnswering(RequestId clientId)
    {
        lock (_lock)
        {
            return _answering.Contains(clientId);
        }
    }

    /// <summary>
    /// Starts <paramref name="work"/> on the thread pool with a token that fires when the relay stops; while it runs,
    /// <paramref name="clientId"/> (the request it answers, if any) counts as in flight.
    /// </summary>
    public void Start(Func<CancellationToken, Task> work, string method, RequestId? clientId = null)
    {
        CancellationToken token = _stopping.Token;
        lock (_lock)
        {
            if (clientId is { } id)
            {
                _answering.Add(id);
            }
        }

        Task task = Task.Run(() => work(token), CancellationToken.None);
        lock (_lock)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(
            finished =>
            {
                lock (_lock)
                {
                    _running.Remove(finished);
                    if (clientId is { } id)
                    {
                        _answering.Remove(id);
                    }
                }

                if (finished.Exception is { } failure)
                {
                    RelayLog.HostWorkFailed(log, failure.GetBaseException(), method);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Waits up to half of <paramref name="timeout"/> for the work under way, then cancels what is left (which then
    /// writes its errors) and waits the other half.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!await WaitAsync(timeout / 2).ConfigureAwait(false))
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await WaitAsync(timeout / 2).ConfigureAwait(false);
        }
    }

    private async Task<bool> WaitAsync(TimeSpan timeout)
    {
        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failure was logged where it happened; what matters here is that the work is over.
            return true;
        }
    }
}
