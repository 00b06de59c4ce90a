using System.CommandLine;
using AcpHost.Control;
using AcpHost.Hosting;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost ps</c>: every running host of this user that answers on its control socket, with its live sessions, for
/// people or, with <c>--json</c>, for scripts. Sockets left by hosts that died are skipped.
/// </summary>
internal static class PsCommand
{
    /// <param name="common">The shared options.</param>
    /// <param name="environment">Where to read <c>XDG_RUNTIME_DIR</c> and the data directory's variables (the process environment when null).</param>
    public static Command Create(CommonOptions common, Func<string, string?>? environment = null)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print a JSON array of host/status results (pid, agentPid, agent, startedAt, uptimeSeconds, dataDir, cwd, sessions), each with the \"socket\" it answered on",
        };
        var command = new Command("ps", "List the running AcpHost processes of this user and their live sessions: agent, uptime, working directory, context fill, compactions and forks");
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await common.TryResolveDataDirAsync(parse, environment).ConfigureAwait(false) is not { } dataDir)
            {
                return ExitStatus.StartupFailed;
            }

            IReadOnlyList<(string SocketPath, HostStatus Status)> hosts =
                await ControlClient.DiscoverAsync(dataDir, environment, reason => parse.InvocationConfiguration.Error.WriteLine(TerminalText.Escape("acphost: " + reason)), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                CliOutput.Line(parse, HostJson.Write(hosts));
            }
            else if (hosts.Count == 0)
            {
                CliOutput.Line(parse, "No running AcpHost found.");
            }
            else
            {
                foreach (string line in HostBlock.Lines(hosts))
                {
                    CliOutput.Line(parse, line);
                }
            }

            return ExitStatus.Success;
        });
        return command;
    }
}
