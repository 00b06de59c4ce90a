using System.CommandLine;
using System.Runtime.InteropServices;
using AcpHost.Hosting;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost watch</c>: follows the events of every running host of this user (compactions, forks, context fill) as
/// they happen, one line each, until Ctrl+C, then exits 0.
/// </summary>
internal static class WatchCommand
{
    /// <param name="common">The shared options.</param>
    /// <param name="environment">Where to read <c>XDG_RUNTIME_DIR</c> and the data directory's variables (the process environment when null).</param>
    public static Command Create(CommonOptions common, Func<string, string?>? environment = null)
    {
        var session = new Option<string?>("--session")
        {
            Description = "Only the events of this session (exact id; a fork also when it is the parent)",
            HelpName = "ID",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per line: \"event\" (compaction, fork or usage) and the event's fields",
        };
        var command = new Command("watch", "Follow the compactions, forks and context fill of every running AcpHost, one line per event, until Ctrl+C");
        command.Options.Add(session);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await common.TryResolveDataDirAsync(parse, environment).ConfigureAwait(false) is not { } dataDir)
            {
                return ExitStatus.StartupFailed;
            }

            // System.CommandLine is told not to handle Ctrl+C (the generic host owns it for run), so watch, which runs
            // no host, is the one owner here: SIGINT and SIGTERM stop it cleanly instead of killing the process.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var watcher = new EventWatcher(
                dataDir, environment, parse.GetValue(session), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            await watcher.RunAsync(stop.Token).ConfigureAwait(false);
            return ExitStatus.Success;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        });
        return command;
    }
}
