using System.CommandLine;
using AcpHost.PostMortem;
using AcpHost.Hosting;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost usage</c>: what each session of a Claude Code history cost, straight from the transcripts (same folders,
/// filters and robustness as <c>scan</c>, in the same single pass): requests, tokens by kind, context peak and median,
/// cost at the configured prices, and the requests that found the prompt cache cold, with why and what that cost.
/// Prices and cache lifetimes come from the settings (<c>--set Pricing:Models:…</c>, <c>--set Usage:CacheTtl5m=…</c>).
/// With <c>--data-dir</c>, compactions a host recorded that the transcripts lost count too.
/// </summary>
internal static class UsageCommand
{
    /// <param name="common">The shared options: <c>--set</c> for prices, <c>--data-dir</c> for a host's ledgers.</param>
    /// <param name="environment">Where <c>CLAUDE_CONFIG_DIR</c> and <c>HOME</c> are read (the process environment when null).</param>
    public static Command Create(CommonOptions common, Func<string, string?>? environment = null)
    {
        var shared = new PostMortemOptions(environment);
        var session = new Option<string?>("--session")
        {
            Description = "Only this session (exact id)",
            HelpName = "ID",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON instead of tables: {sessions, projects, total, scanned} (" + UsageJson.Fields + ")",
        };
        var command = new Command(
            "usage",
            "What each session in Claude Code's transcripts cost: model requests, tokens by kind, peak and median context, cost at the configured prices (--set Pricing:Models:<prefix>:Input=…), and the requests that found the prompt cache cold, why, and what that cost; per session, per project and in total");
        shared.AddTo(command);
        command.Options.Add(session);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            HostLedgers? ledgers = await PostMortemOptions.LedgersAsync(parse, common, environment).ConfigureAwait(false);
            (ScanResult? scanned, int exitCode) = await shared.ScanAsync(
                parse,
                cancellationToken,
                options => options with
                {
                    Usage = PostMortemOptions.UsageSettings(common, parse),
                    SessionId = parse.GetValue(session),
                    Ledgers = ledgers,
                }).ConfigureAwait(false);
            if (scanned is not { } scan)
            {
                return exitCode;
            }

            if (parse.GetValue(json))
            {
                CliOutput.Line(parse, UsageJson.Write(scan));
            }
            else
            {
                foreach (string line in UsageTable.Lines(scan))
                {
                    CliOutput.Line(parse, line);
                }
            }

            return ExitStatus.Success;
        });
        return command;
    }
}
