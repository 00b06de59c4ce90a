using AcpHost.Relay.Platform;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Hosting;

/// <summary>
/// Holds the host to its shutdown bound whatever its peers do: armed when the relay begins to end, it records the
/// deadline for the services that stop after the relay and, should the process still be there at that time (a step
/// stuck on a peer that reads nothing, past every bounded wait), logs it, flushes the log and ends the process with the
/// exit code due.
/// </summary>
internal sealed partial class ShutdownWatchdog(ShutdownDeadline deadline, ExitStatus exitStatus, ILogger<ShutdownWatchdog> log)
{
    // The log's last lines get this long; a log stuck on a full stderr must not hold the exit.
    private static readonly TimeSpan FlushWait = TimeSpan.FromMilliseconds(200);

    private int _armed;

    /// <summary>Arms the watchdog for <paramref name="endBy"/>; only the first call counts.</summary>
    public void Arm(DateTimeOffset endBy)
    {
        if (Interlocked.Exchange(ref _armed, 1) != 0)
        {
            return;
        }

        deadline.Set(endBy);
        TimeSpan wait = endBy - DateTimeOffset.UtcNow;
        _ = Task.Run(async () =>
        {
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            Overran(log, exitStatus.Code);
            await Task.WhenAny(Serilog.Log.CloseAndFlushAsync().AsTask(), Task.Delay(FlushWait)).ConfigureAwait(false);
            ImmediateExit.Now(exitStatus.Code);
        });
    }

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "The host did not finish ending within its shutdown bound (Relay:ShutdownGrace plus a second); exiting now with code {ExitCode}")]
    private static partial void Overran(ILogger logger, int exitCode);
}
