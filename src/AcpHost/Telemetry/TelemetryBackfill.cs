using System.Runtime.CompilerServices;
using AcpHost.Events;
using AcpHost.Agent;
using AcpHost.Relay.Platform;
using Microsoft.Extensions.Logging.Abstractions;

namespace AcpHost.Telemetry;

/// <summary>
/// <c>acphost scan --otlp</c>: sends compactions found in old transcripts as <c>acphost.compaction</c> records with
/// their original timestamps (source <c>transcript</c>), each once. What was sent is remembered in
/// <c>&lt;data-dir&gt;/telemetry/backfilled.txt</c> (0600), one key a line: the ledger record's id and the boundary's
/// uuid. A re-run skips a compaction when either of its keys is there, so running scan again (with or without the
/// ledger, after new compactions) sends only the new ones. Keys are written only after the collector took the batch.
/// </summary>
internal static class TelemetryBackfill
{
    /// <summary>Records sent per batch: the SDK's batch size, so the bounded queue never overflows.</summary>
    private const int Batch = 512;

    /// <summary>The file that remembers what was sent.</summary>
    public static string StateFile(string dataDir) => Path.Combine(dataDir, "telemetry", "backfilled.txt");

    /// <summary>Sends the compactions not sent before. Never inlined: the caller must not load OpenTelemetry.</summary>
    /// <param name="compactions">Keyed by <see cref="CompactionRecord.Id"/> and <see cref="CompactionRecord.BoundaryUuid"/>.</param>
    /// <param name="dataDir">Where the state file lives.</param>
    /// <param name="agent">The agent settings for the resource.</param>
    /// <param name="flushTimeout">How long each batch may take to reach the collector.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BackfillResult Send(IEnumerable<CompactionRecord> compactions, string dataDir, AgentOptions? agent, TimeSpan flushTimeout)
    {
        ArgumentNullException.ThrowIfNull(compactions);
        string state = StateFile(dataDir);
        var sent = File.Exists(state) ? File.ReadLines(state).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
        List<CompactionRecord> pending = [.. compactions.Where(c => !sent.Contains(c.Id) && (c.BoundaryUuid is null || !sent.Contains(c.BoundaryUuid)))];
        int skipped = compactions.Count() - pending.Count;
        if (pending.Count == 0)
        {
            return new BackfillResult(0, skipped, Failed: false);
        }

        OwnFiles.EnsurePrivateFolder(Path.GetDirectoryName(state)!);
        using ExportProblems problems = ExportProblems.Start(NullLogger.Instance);
        using var export = new OtlpExport(agent, withMetrics: false);
        int delivered = 0;
        foreach (CompactionRecord[] batch in pending.Chunk(Batch))
        {
            foreach (CompactionRecord compaction in batch)
            {
                export.Emit(EventRecords.Compaction(compaction));
            }

            if (!export.Flush(flushTimeout) || problems.Total > 0)
            {
                return new BackfillResult(delivered, skipped, Failed: true) { Reason = FirstLine(problems.LastReason) ?? "the collector did not answer in time" };
            }

            Remember(state, batch);
            delivered += batch.Length;
        }

        return new BackfillResult(delivered, skipped, Failed: false);
    }

    private static string? FirstLine(string? text) => text?.Split('\n', 2)[0].Trim();

    private static void Remember(string state, CompactionRecord[] batch)
    {
        IEnumerable<string> keys = batch.SelectMany(c => c.BoundaryUuid is null ? [c.Id] : new[] { c.Id, c.BoundaryUuid });
        using FileStream file = OwnFiles.OpenNoFollow(state, FileAccess.Write, append: true);
        using var writer = new StreamWriter(file);
        foreach (string key in keys)
        {
            writer.Write(key);
            writer.Write('\n');
        }
    }
}
