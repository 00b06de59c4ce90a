using System.CommandLine;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Features.Sessions;
using AcpHost.Hosting;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost sessions</c>: the session lineage ledger as a tree of forks for people or, with <c>--json</c>, as JSON
/// for scripts. Each session's compactions are counted from the compaction ledger, the ground truth, rather than taken
/// from the count a host wrote. It only reads, sharing the files, so it works while hosts are running and appending.
/// </summary>
internal static class SessionsCommand
{
    // Reading failed (permissions, I/O error): not a bad command line, which is ExitStatus.StartupFailed.
    private const int ReadFailed = 1;

    public static Command Create(CommonOptions common)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print a JSON array (sessionId, parentSessionId, forkReason, cwd, createdAt, usedTokens, contextWindow, compactions), parents before their forks, instead of a tree",
        };
        var command = new Command("sessions", "List the sessions recorded in the ledger as a tree of forks: when each was created, where, why it was forked, its compactions and its last context fill");
        command.Options.Add(json);
        command.SetAction(async (parse, _) =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            if (await common.TryResolveDataDirAsync(parse).ConfigureAwait(false) is not { } dataDir)
            {
                return ExitStatus.StartupFailed;
            }

            string sessionsPath = new SessionLedger(dataDir).FilePath;
            string compactionsPath = new CompactionLedger(dataDir).FilePath;
            string reading = sessionsPath;
            LedgerReadResult<SessionRecord> sessions;
            LedgerReadResult<CompactionRecord> compactions;
            try
            {
                sessions = SessionLedger.Read(sessionsPath);
                reading = compactionsPath;
                compactions = CompactionLedger.Read(compactionsPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"acphost: cannot read the ledger {reading}: {ex.Message}").ConfigureAwait(false);
                return ReadFailed;
            }

            await WarnSkippedAsync(error, sessions.SkippedLines, sessionsPath).ConfigureAwait(false);
            await WarnSkippedAsync(error, compactions.SkippedLines, compactionsPath).ConfigureAwait(false);

            Dictionary<string, int> counts = compactions.Records
                .CountBy(record => record.SessionId, StringComparer.Ordinal)
                .ToDictionary(StringComparer.Ordinal);
            List<(SessionRecord Session, string Branch)> tree = SessionTree.Arrange(
                [.. sessions.Records.Select(session => session with { Compactions = counts.GetValueOrDefault(session.SessionId) })]);
            Print(parse, parse.GetValue(json), tree, sessionsPath);
            return ExitStatus.Success;
        });
        return command;
    }

    private static async Task WarnSkippedAsync(TextWriter error, int skipped, string path)
    {
        if (skipped > 0)
        {
            await error.WriteLineAsync(
                $"acphost: warning: skipped {skipped} unreadable line(s) in {path} (torn by a host that was killed, or damaged)")
                .ConfigureAwait(false);
        }
    }

    private static void Print(ParseResult parse, bool asJson, List<(SessionRecord Session, string Branch)> tree, string ledgerPath)
    {
        if (asJson)
        {
            CliOutput.Line(parse, SessionJson.Write(tree.Select(node => node.Session)));
        }
        else if (tree.Count == 0)
        {
            CliOutput.Line(parse, $"No sessions recorded yet (ledger: {ledgerPath}).");
        }
        else
        {
            foreach (string line in SessionTable.Lines(tree))
            {
                CliOutput.Line(parse, line);
            }
        }
    }
}
