using System.CommandLine;
using AcpHost.PostMortem;
using AcpHost.Hosting;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost scan</c>: every compaction in a Claude Code history, straight from the transcripts (no host needed), as
/// a table and a summary per project for people or, with <c>--json</c>, for scripts. Progress and warnings go to stderr.
/// With <c>--data-dir</c>, a host's ledger there corrects the triggers the transcripts cannot tell: Claude Code writes
/// <c>manual</c> for the agent's idle compaction, which a host that relayed it recorded as <c>idle</c>.
/// </summary>
internal static class ScanCommand
{
    /// <param name="common">The shared options: <c>--data-dir</c>, when given, adds the host's triggers.</param>
    /// <param name="environment">Where <c>CLAUDE_CONFIG_DIR</c> and <c>HOME</c> are read (the process environment when null).</param>
    public static Command Create(CommonOptions common, Func<string, string?>? environment = null)
    {
        var shared = new PostMortemOptions(environment);
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON instead of tables: {rows, summary, scanned} (" + ScanJson.Fields + ")",
        };
        var command = new Command(
            "scan",
            "List every compaction in Claude Code's transcripts (~/.claude/projects): project, session, time, trigger, tokens flattened, with a summary per project; with --data-dir the triggers AcpHost recorded (idle compactions, which transcripts call manual)");
        var otlp = new Option<bool>("--otlp")
        {
            Description = "Also send each compaction found to an OpenTelemetry collector as an acphost.compaction event with its original time (OTEL_EXPORTER_OTLP_* settings), once: what was sent is remembered in the data directory",
        };
        shared.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(otlp);
        command.SetAction(async (parse, cancellationToken) =>
        {
            (ScanResult? scanned, int exitCode) = await shared.ScanAsync(parse, cancellationToken).ConfigureAwait(false);
            if (scanned is not { } scan)
            {
                return exitCode;
            }

            if (await PostMortemOptions.LedgersAsync(parse, common, environment).ConfigureAwait(false) is { } ledgers)
            {
                scan = ledgers.WithHostTriggers(scan);
            }

            int exit = ExitStatus.Success;
            if (parse.GetValue(otlp))
            {
                exit = await ScanBackfill.SendAsync(parse, scan, common.ResolveDataDir(parse, environment)).ConfigureAwait(false);
            }

            if (parse.GetValue(json))
            {
                CliOutput.Line(parse, ScanJson.Write(scan));
            }
            else
            {
                foreach (string line in ScanTable.Lines(scan))
                {
                    CliOutput.Line(parse, line);
                }
            }

            return exit;
        });
        return command;
    }
}
