using System.CommandLine;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Hosting;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost compactions</c>: the compaction ledger as a table for people or, with <c>--json</c>, as JSON for
/// scripts. It only reads, sharing the file, so it works while hosts are running and appending.
/// </summary>
internal static class CompactionsCommand
{
    // Reading failed (permissions, I/O error): not a bad command line, which is ExitStatus.StartupFailed.
    private const int ReadFailed = 1;

    public static Command Create(CommonOptions common)
    {
        var session = new Option<string?>("--session")
        {
            Description = "Only the compactions of this session (exact id)",
            HelpName = "ID",
        };
        var since = new Option<string?>("--since")
        {
            Description = "Only the compactions at or after TIME: " + SinceParser.Accepted,
            HelpName = "TIME",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print a JSON array (sessionId, trigger, preTokens, postTokens, durationMs, contextWindow, at, source, id, flattened) instead of a table",
        };
        var command = new Command("compactions", "List the compactions recorded in the ledger: when, which session, why, and how many tokens were flattened");
        command.Options.Add(session);
        command.Options.Add(since);
        command.Options.Add(json);
        command.SetAction(async (parse, _) =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            string dataDir;
            DateTimeOffset? from = null;
            try
            {
                dataDir = common.ResolveDataDir(parse);
                if (parse.GetValue(since) is { } sinceText)
                {
                    from = SinceParser.TryParse(sinceText, TimeProvider.System.GetUtcNow(), out DateTimeOffset moment)
                        ? moment
                        : throw new FormatException($"--since '{sinceText}' is not {SinceParser.Accepted}");
                }
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                await error.WriteLineAsync("acphost: " + ex.Message).ConfigureAwait(false);
                return ExitStatus.StartupFailed;
            }

            var ledger = new CompactionLedger(dataDir);
            LedgerReadResult<CompactionRecord> contents;
            try
            {
                contents = CompactionLedger.Read(ledger.FilePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"acphost: cannot read the ledger {ledger.FilePath}: {ex.Message}").ConfigureAwait(false);
                return ReadFailed;
            }

            if (contents.SkippedLines > 0)
            {
                await error.WriteLineAsync(
                    $"acphost: warning: skipped {contents.SkippedLines} unreadable line(s) in {ledger.FilePath} (torn by a host that was killed, or damaged)")
                    .ConfigureAwait(false);
            }

            string? sessionId = parse.GetValue(session);
            List<CompactionRecord> shown = contents.Records
                .Where(record => sessionId is null || string.Equals(record.SessionId, sessionId, StringComparison.Ordinal))
                .Where(record => from is null || record.At >= from)
                .ToList();
            Print(parse, parse.GetValue(json), shown, contents.Records.Count, ledger.FilePath);
            return ExitStatus.Success;
        });
        return command;
    }

    private static void Print(ParseResult parse, bool asJson, List<CompactionRecord> shown, int total, string ledgerPath)
    {
        if (asJson)
        {
            CliOutput.Line(parse, CompactionJson.Write(shown));
        }
        else if (total == 0)
        {
            CliOutput.Line(parse, $"No compactions recorded yet (ledger: {ledgerPath}).");
        }
        else if (shown.Count == 0)
        {
            CliOutput.Line(parse, $"No compactions match ({total} in the ledger).");
        }
        else
        {
            foreach (string line in CompactionTable.Lines(shown))
            {
                CliOutput.Line(parse, line);
            }
        }
    }
}
