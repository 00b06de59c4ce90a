namespace AcpHost.Agent;

/// <summary>
/// Starts the first agent as early as possible: right after the host is built, before its services start, so the
/// agent's own start-up (node, its native child) runs alongside the host's instead of after it. The relay takes the
/// agent from here; one that nobody took (the host failed to start) is ended.
/// </summary>
internal sealed class AgentStartup(AgentLauncher launcher) : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private Task<Relay.Transport.AgentProcess>? _starting;
    private int _taken;

    /// <summary>Begins starting the agent (installing it first on first use); returns at once.</summary>
    public void Begin() => _starting ??= launcher.StartAsync(_cancel.Token);

    /// <summary>The started agent, for the relay that will own it; stopping the host cancels a start still running.</summary>
    public async Task<Relay.Transport.AgentProcess> TakeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _taken, 1);
        Begin();
        await using CancellationTokenRegistration stop = cancellationToken.Register(() => _cancel.Cancel());
        return await _starting!.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _taken) == 0 && _starting is { } starting)
        {
            try
            {
                await (await starting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or AgentInstallException or Relay.Transport.AgentStartException)
            {
                // It never started: nothing to end.
            }
        }

        _cancel.Dispose();
    }
}
