using AcpHost.Relay.Platform;
using AcpHost.Relay.Relay;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.Hosting;

/// <summary>
/// Once start-up is over, gives the kernel back the pages of the host's own files that only start-up used
/// (<see cref="ImagePages"/>): an editor keeps the host for the whole session, and what the host holds while the user
/// reads and types is what the session costs. Start-up counts as over the first time the relay is idle once the client
/// has been answered: the client has sent something, no request of its waits for the agent (so not while a slow agent
/// works on <c>initialize</c> or <c>session/new</c>, after which the host still has start-up work to do), and no
/// message went either way for <see cref="Quiet"/>. Not before the client's first message: a host still starting (its
/// agent not yet up, its relay not yet reading) is quiet too, and what it releases then it would read again at once.
/// It happens once; the pages the relay uses afterwards come back on first touch, from the page cache, and stay.
/// </summary>
/// <remarks>
/// Measured on the native build (docs/native-build.md): idle, the host kept 23 MiB resident, 13 MiB of it pages of its
/// executable; released, about 4.5 of those come back at once (the code and unwind tables a collection and the idle
/// threads touch) and the host idles at 17.8 MiB in the benchmark.
/// </remarks>
internal sealed partial class StartupPagesRelease : BackgroundService
{
    /// <summary>How long the relay must be idle for start-up to count as over.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    private readonly RelayCounters _counters;
    private readonly ILogger<StartupPagesRelease> _log;
    private readonly TimeSpan _quiet;
    private readonly Func<ImagePagesReleased> _release;

    public StartupPagesRelease(RelayCounters counters, ILogger<StartupPagesRelease> log)
        : this(counters, log, Quiet, static () => ImagePages.Release(AppContext.BaseDirectory))
    {
    }

    /// <summary>With another idle time and release, for tests.</summary>
    internal StartupPagesRelease(RelayCounters counters, ILogger<StartupPagesRelease> log, TimeSpan quiet, Func<ImagePagesReleased> release)
    {
        _counters = counters;
        _log = log;
        _quiet = quiet;
        _release = release;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await IdleAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            ImagePagesReleased released = _release();
            Released(_log, released.Bytes / (1024.0 * 1024.0), released.Mappings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            ReleaseFailed(_log, ex);
        }
    }

    /// <summary>Returns once the client has sent something and a whole tick went by without a message and with no request in flight.</summary>
    private async Task IdleAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_quiet);
        long seen = -1;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            long now = _counters.ClientMessages + _counters.AgentMessages;
            if (now == seen && _counters.ClientMessages > 0 && _counters.RequestsInFlight == 0)
            {
                return;
            }

            seen = now;
        }
    }

    [LoggerMessage(EventId = 806, Level = LogLevel.Debug, Message = "Start-up over: gave back {MiB:N1} MiB of start-up pages of the host's files ({Mappings} mappings)")]
    private static partial void Released(ILogger logger, double miB, int mappings);

    [LoggerMessage(EventId = 807, Level = LogLevel.Warning, Message = "Could not give back the start-up pages; the host keeps them")]
    private static partial void ReleaseFailed(ILogger logger, Exception exception);
}
