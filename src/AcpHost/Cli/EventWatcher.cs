using System.Net.Sockets;
using AcpHost.Control;

namespace AcpHost.Cli;

/// <summary>
/// What <c>acphost watch</c> runs: a subscription to every live host's events, found by scanning the control socket
/// folders now and every <see cref="RescanInterval"/> (so hosts started later join, and a host that went away is
/// dropped), each event printed as one line through one lock and flushed at once, since the output is often a pipe.
/// Nothing is lost silently: events the host could not keep for this watcher come as a <c>dropped</c> line, and a
/// connection that closed while its host still runs is said on stderr when it is watched again.
/// </summary>
internal sealed class EventWatcher(string dataDir, Func<string, string?>? environment, string? session, bool asJson, TextWriter output, TextWriter error) : IDisposable
{
    /// <summary>How often the socket folders are looked at again for hosts not watched yet.</summary>
    public static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, Task> _watched = new(StringComparer.Ordinal);

    // Hosts whose connection closed after events were followed: whatever happened in between was not seen.
    private readonly ConcurrentDictionary<string, byte> _lost = new(StringComparer.Ordinal);

    /// <summary>Watches until <paramref name="cancellationToken"/> fires or the output is closed; never throws for either.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = new PeriodicTimer(RescanInterval);
        try
        {
            do
            {
                Scan(stop);
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C, or nobody reads the output any more.
        }

        await Task.WhenAll(_watched.Values).ConfigureAwait(false);
    }

    public void Dispose() => _writeLock.Dispose();

    private void Scan(CancellationTokenSource stop)
    {
        foreach (string ended in _watched.Where(entry => entry.Value.IsCompleted).Select(entry => entry.Key).ToList())
        {
            _watched.Remove(ended);
        }

        IEnumerable<string> sockets;
        try
        {
            sockets = ControlPaths.FindSockets(dataDir, environment).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be listed now may be listable at the next scan.
            return;
        }

        foreach (string socket in sockets.Where(socket => !_watched.ContainsKey(socket)))
        {
            _watched[socket] = WatchAsync(socket, stop);
        }
    }

    private async Task WatchAsync(string socketPath, CancellationTokenSource stop)
    {
        bool connected = false;
        try
        {
            ControlClient client = await ControlClient.ConnectAsync(socketPath, ControlClient.DiscoveryTimeout, stop.Token).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                if (_lost.TryRemove(socketPath, out _))
                {
                    await WriteAsync(error, $"acphost: watching {socketPath} again: its connection had closed, and events in between were not seen", stop).ConfigureAwait(false);
                }

                connected = true;
                await foreach ((string method, JsonElement parameters) in client.SubscribeAsync(stop.Token).ConfigureAwait(false))
                {
                    string? line;
                    try
                    {
                        line = EventLine.Format(method, parameters, session, asJson);
                    }
                    catch (Exception ex) when (ex is JsonException or InvalidOperationException)
                    {
                        await WriteAsync(error, $"acphost: warning: skipped a malformed {method} from {socketPath}: {ex.Message}", stop).ConfigureAwait(false);
                        continue;
                    }

                    if (line is not null)
                    {
                        await WriteAsync(output, line, stop).ConfigureAwait(false);
                    }
                }
            }

            _lost[socketPath] = 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Watching ends.
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ControlErrorException or UnauthorizedAccessException)
        {
            // Stale, not answering, or gone: the next scan tries the socket again for as long as its file is there.
            if (connected)
            {
                _lost[socketPath] = 0;
            }
        }
    }

    private async Task WriteAsync(TextWriter writer, string line, CancellationTokenSource stop)
    {
        await _writeLock.WaitAsync(stop.Token).ConfigureAwait(false);
        try
        {
            await writer.WriteLineAsync(TerminalText.EscapeLines(line)).ConfigureAwait(false);
            await writer.FlushAsync(stop.Token).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The reader of the output went away (`acphost watch | head`): nothing more can be shown.
            await stop.CancelAsync().ConfigureAwait(false);
            throw new OperationCanceledException(stop.Token);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
