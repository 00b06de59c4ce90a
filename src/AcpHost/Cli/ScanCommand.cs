using System.CommandLine;
using AcpHost.Features.PostMortem;
using AcpHost.Hosting;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost scan</c>: every compaction in a Claude Code history, straight from the transcripts (no host needed), as
/// a table and a summary per project for people or, with <c>--json</c>, for scripts. Progress and warnings go to stderr.
/// </summary>
internal static class ScanCommand
{
    /// <param name="environment">Where <c>CLAUDE_CONFIG_DIR</c> and <c>HOME</c> are read (the process environment when null).</param>
    public static Command Create(Func<string, string?>? environment = null)
    {
        var shared = new PostMortemOptions(environment);
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON instead of tables: {rows, summary, scanned} (" + ScanJson.Fields + ")",
        };
        var command = new Command(
            "scan",
            "List every compaction in Claude Code's transcripts (~/.claude/projects): project, session, time, trigger, tokens flattened, with a summary per project");
        shared.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            (ScanResult? scanned, int exitCode) = await shared.ScanAsync(parse, cancellationToken).ConfigureAwait(false);
            if (scanned is not { } scan)
            {
                return exitCode;
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

            return ExitStatus.Success;
        });
        return command;
    }
}
