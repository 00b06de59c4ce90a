using System.CommandLine;
using AcpHost.Agent;
using AcpHost.Events;
using AcpHost.PostMortem;
using AcpHost.Hosting;
using AcpHost.Telemetry;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost scan --otlp</c>: the compactions the scan found, as <c>acphost.compaction</c> records (source
/// <c>transcript</c>, the time of the boundary line), keyed by the host ledger's id where a host recorded the compaction
/// and by the boundary's uuid otherwise; <see cref="TelemetryBackfill"/> sends each once. Rows without a time or a uuid
/// cannot be placed or keyed and are left out (counted on stderr).
/// </summary>
internal static class ScanBackfill
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> SendAsync(ParseResult parse, ScanResult scan, string dataDir)
    {
        HostLedgers? ledgers = null;
        try
        {
            ledgers = HostLedgers.Load(dataDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without the ledger the uuid keys each compaction; the ledger only adds its id.
        }

        Dictionary<string, string> ledgerIds = ledgers?.Compactions.Where(c => c.BoundaryUuid is not null)
            .GroupBy(c => c.BoundaryUuid!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal) ?? [];
        var compactions = new List<CompactionRecord>();
        int unkeyed = 0;
        foreach (CompactionRow row in scan.Rows)
        {
            if (row.At is not { } at || row.BoundaryUuid is not { } uuid)
            {
                unkeyed++;
                continue;
            }

            compactions.Add(new CompactionRecord
            {
                Id = ledgerIds.GetValueOrDefault(uuid) ?? uuid,
                SessionId = row.SessionId,
                Trigger = row.Trigger,
                PreTokens = row.PreTokens,
                PostTokens = row.PostTokens,
                DurationMs = row.DurationMs,
                Source = "transcript",
                BoundaryUuid = uuid,
                At = at,
            });
        }

        BackfillResult result;
        try
        {
            result = TelemetryBackfill.Send(compactions, dataDir, AgentOptions.From(HostConfiguration.Build(new Dictionary<string, string?>())), FlushTimeout);
        }
        catch (Exception ex) when (TelemetrySwitch.IsRefusedSetting(ex))
        {
            // Also what the OpenTelemetry SDK refuses in the user's OTEL_* settings (a header without '=', a certificate
            // file that is not there): said, not thrown.
            await parse.InvocationConfiguration.Error.WriteLineAsync($"acphost: cannot send compactions: {ex.Message}").ConfigureAwait(false);
            return ExitStatus.StartupFailed;
        }

        string skipped = unkeyed > 0 ? $", {unkeyed} without a time or uuid left out" : "";
        await parse.InvocationConfiguration.Error.WriteLineAsync(result.Failed
            ? $"acphost: the OTLP collector did not take the compactions ({result.Sent} sent before the failure, {result.AlreadySent} sent by earlier runs{skipped}): {result.Reason}; run again to send the rest"
            : $"acphost: sent {result.Sent} compaction(s) over OTLP ({result.AlreadySent} sent by earlier runs{skipped})").ConfigureAwait(false);
        return result.Failed ? 1 : ExitStatus.Success;
    }
}
