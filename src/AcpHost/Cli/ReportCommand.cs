using System.CommandLine;
using System.Text;
using AcpHost.PostMortem;
using AcpHost.Hosting;
using AcpHost.Settings;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost report</c>: the scan as one self-contained HTML page with charts (see <see cref="HtmlReport"/>), beside
/// what the host's own ledgers recorded when <c>--data-dir</c> is given. Prints the page's path.
/// </summary>
internal static class ReportCommand
{
    /// <summary>The page written when <c>--out</c> is not given, in the current directory.</summary>
    public const string DefaultFile = "acphost-report.html";

    // Nothing could be scanned, or the page could not be written: not a bad command line (ExitStatus.StartupFailed).
    private const int Failed = 1;

    /// <param name="common">The shared options: <c>--data-dir</c>, when given, adds the host's ledgers.</param>
    /// <param name="environment">Where <c>CLAUDE_CONFIG_DIR</c> and <c>HOME</c> are read (the process environment when null).</param>
    public static Command Create(CommonOptions common, Func<string, string?>? environment = null)
    {
        var shared = new PostMortemOptions(environment);
        var output = new Option<string?>("--out")
        {
            Description = "The HTML file to write. Default: " + DefaultFile + " in the current directory",
            HelpName = "FILE.html",
        };
        var command = new Command(
            "report",
            "Write an HTML report of every compaction in Claude Code's transcripts: charts of tokens flattened, context fill and compactions per day, and the tables; with --data-dir also what AcpHost recorded (forks, relayed compactions)");
        shared.AddTo(command);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            (ScanResult? scanned, int exitCode) = await shared.ScanAsync(
                parse,
                cancellationToken,
                options => options with { Series = true, Usage = PostMortemOptions.UsageSettings(common, parse) }).ConfigureAwait(false);
            if (scanned is not { } scan)
            {
                return exitCode;
            }

            string path = Path.GetFullPath(parse.GetValue(output) is { Length: > 0 } given ? given : DefaultFile);
            try
            {
                HostLedgers? ledgers = parse.GetValue(common.DataDir) is { Length: > 0 } dataDir
                    ? HostLedgers.Load(DataDirectory.Resolve(dataDir, environment))
                    : null;
                if (ledgers is { SkippedLines: > 0 })
                {
                    await error.WriteLineAsync($"acphost: warning: skipped {ledgers.SkippedLines} unreadable ledger line(s) in {ledgers.DataDir}").ConfigureAwait(false);
                }

                string page = HtmlReport.Render(ledgers?.WithHostTriggers(scan) ?? scan, ledgers, shared.Roots(parse), TimeProvider.System.GetUtcNow());
                await File.WriteAllTextAsync(path, page, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"acphost: cannot write the report {path}: {ex.Message}").ConfigureAwait(false);
                return Failed;
            }

            CliOutput.Line(parse, path);
            return ExitStatus.Success;
        });
        return command;
    }
}
