using System.Globalization;
using System.Text;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>
/// <c>acphost report</c>'s page: one self-contained HTML file, charts as inline SVG, no script, no font, no request
/// of any kind (its Content-Security-Policy forbids them), so it opens the same offline, in a mail, in years.
/// </summary>
internal static class HtmlReport
{
    private const string Style =
        "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px 32px;color:#222;max-width:1180px}" +
        "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}p.meta{color:#666;margin:0 0 16px}" +
        "svg{display:block;max-width:100%;height:auto;border:1px solid #eee;border-radius:6px;background:#fff}" +
        "table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}" +
        "th{background:#f6f6f6}td:nth-child(n+4){font-variant-numeric:tabular-nums}.totals{font-size:16px;margin:8px 0}" +
        "details{margin:4px 0}summary{cursor:pointer}";

    /// <summary>The page for <paramref name="scan"/>, with the host's ledgers beside it when given.</summary>
    public static string Render(ScanResult scan, HostLedgers? ledgers, IReadOnlyList<string> roots, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(roots);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>AcpHost post-mortem: compactions and cost</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<h1>Compactions and cost in your Claude Code history</h1>")
            .Append("<p class=\"meta\">").Append(HtmlText.Escape(Meta(scan, roots, generatedAt))).Append("</p>")
            .Append("<p class=\"totals\">").Append(HtmlText.Escape(Totals(scan))).Append("</p>")
            .Append("<p class=\"totals\">").Append(HtmlText.Escape(UsageTotals(scan.Usage.Total.Totals))).Append("</p>");

        html.Append("<h2>Tokens flattened by each compaction</h2>").Append(CompactionsChart.Render(scan.Rows))
            .Append("<h2>Context fill of the sessions that compacted most, against time since each began</h2>").Append(FillChart.Render(scan.Sessions))
            .Append("<h2>Compactions per day</h2>").Append(DailyChart.Render(scan.Rows))
            .Append("<h2>Context per request of the costliest sessions, with compactions, cold requests and forks</h2>").Append(FillChart.RenderCostliest(scan.Sessions, Forks(scan, ledgers)))
            .Append("<h2>Cost per day</h2>").Append(CostChart.Render(scan.Usage.Days))
            .Append("<h2>The costliest cold requests</h2>").Append(HtmlReportTables.Cold(CostliestCold(scan.Usage)))
            .Append("<h2>Per project</h2>").Append(HtmlReportTables.Summary(scan.Summary))
            .Append("<h2>Every compaction</h2>").Append(HtmlReportTables.Rows(scan.Rows, ledgers))
            .Append("<h2>What each compaction's summary no longer names (a heuristic: docs/flattened.md)</h2>").Append(FlattenedTable.Render(scan.Rows));

        if (ledgers is not null)
        {
            List<CompactionRecord> missing = [.. ledgers.NotInTranscripts(scan.Rows)];
            html.Append("<h2>AcpHost's ledgers</h2><p>")
                .Append(HtmlText.Escape(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{ledgers.DataDir}: {ledgers.Compactions.Count:N0} compactions and {ledgers.Sessions.Count:N0} sessions recorded; {scan.Rows.Count(ledgers.Recorded):N0} of the compactions above were relayed by a host.")))
                .Append("</p>");
            if (missing.Count > 0)
            {
                html.Append("<h2>Recorded by a host, not found in the transcripts scanned</h2>").Append(HtmlReportTables.LedgerOnly(missing));
            }

            html.Append("<h2>Forks</h2>").Append(HtmlReportTables.Forks(ledgers.Forks));
        }

        if (scan.Unreadable.Count > 0)
        {
            html.Append("<h2>Unreadable files</h2>").Append(HtmlReportTables.Unreadable(scan.Unreadable));
        }

        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>How many cold requests the report lists: the costliest.</summary>
    public const int ColdListed = 20;

    private static IEnumerable<(UsageSummary Session, ColdRequest Cold)> CostliestCold(UsageResult usage) =>
        usage.Sessions.SelectMany(s => s.Cold.Select(c => (s, c))).OrderByDescending(r => r.c.ExtraCostUsd ?? -1).ThenBy(r => r.c.At).Take(ColdListed);

    // The forks made from each session: from the forks' transcripts (where their copy of the parent's history ends),
    // and from a host's lineage ledger (when it made them), each fork once.
    private static ILookup<string, (DateTimeOffset At, string SessionId)> Forks(ScanResult scan, HostLedgers? ledgers) =>
        scan.Sessions.Where(s => s.ForkedFrom is not null && s.ForkPoint is not null).Select(s => (Parent: s.ForkedFrom!, At: s.ForkPoint!.Value, s.SessionId))
            .Concat((ledgers?.Forks ?? []).Where(f => f.CreatedAt is not null).Select(f => (Parent: f.ParentSessionId!, At: f.CreatedAt!.Value, f.SessionId)))
            .DistinctBy(fork => fork.SessionId, StringComparer.Ordinal)
            .ToLookup(fork => fork.Parent, fork => (fork.At, fork.SessionId), StringComparer.Ordinal);

    private static string UsageTotals(UsageTotals total) => string.Create(
        CultureInfo.InvariantCulture,
        $"{total.Requests:N0} model requests ({total.SidechainRequests:N0} by subagents) cost {HtmlText.Usd(total.CostUsd)}; {total.ColdRequests:N0} found the prompt cache cold and cost {HtmlText.Usd(total.ColdCostUsd)}, {HtmlText.Usd(total.ColdExtraCostUsd)} of it only because the cache was cold{(total.UnpricedModels.Count > 0 ? $". Not priced: {string.Join(", ", total.UnpricedModels)}" : "")}.");

    private static string Meta(ScanResult scan, IReadOnlyList<string> roots, DateTimeOffset generatedAt) => string.Create(
        CultureInfo.InvariantCulture,
        $"Generated {HtmlText.Time(generatedAt)} UTC by acphost report from {string.Join(", ", roots)}: {scan.Files:N0} transcripts, {scan.Bytes / (1024.0 * 1024):N1} MB in {scan.Elapsed.TotalSeconds:N1} s; {scan.MalformedLines:N0} malformed lines skipped.");

    private static string Totals(ScanResult scan)
    {
        long flattened = TokenMath.Sum(scan.Summary.Select(s => s.TotalFlattened));
        int auto = scan.Rows.Count(row => row.Trigger == "auto");
        int idle = scan.Rows.Count(row => row.Trigger == "idle");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{scan.Rows.Count:N0} compactions ({auto:N0} automatic, {idle:N0} idle, {scan.Rows.Count - auto - idle:N0} manual or unknown) in {scan.Summary.Sum(s => s.Sessions):N0} sessions across {scan.Summary.Count:N0} projects: {flattened:N0} tokens flattened.");
    }
}
