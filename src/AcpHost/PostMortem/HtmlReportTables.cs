using System.Text;
using AcpHost.Events;
using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>The report's tables, as HTML; every cell escaped.</summary>
internal static class HtmlReportTables
{
    public static string Summary(IReadOnlyList<ProjectSummary> summary) => Table(
        "summary",
        ["project", "sessions", "compactions", "auto", "manual", "idle", "median preTokens", "max preTokens", "total flattened"],
        summary.Select(s => new[]
        {
            s.Project, HtmlText.Number(s.Sessions), HtmlText.Number(s.Compactions), HtmlText.Number(s.Auto), HtmlText.Number(s.Manual), HtmlText.Number(s.Idle),
            HtmlText.Number(s.MedianPreTokens), HtmlText.Number(s.MaxPreTokens), HtmlText.Number(s.TotalFlattened),
        }));

    public static string Rows(IReadOnlyList<CompactionRow> rows, HostLedgers? ledgers)
    {
        string[] headers = ["time (UTC)", "project", "session", "trigger", "preTokens", "postTokens", "duration"];
        return Table(
            "compactions",
            ledgers is null ? headers : [.. headers, "host recorded"],
            rows.Select(row =>
            {
                string[] cells =
                [
                    HtmlText.Time(row.At), row.Project, row.SessionId, row.Trigger ?? "–",
                    HtmlText.Number(row.PreTokens), HtmlText.Number(row.PostTokens), row.DurationMs is { } ms ? HtmlText.Number(ms) + " ms" : "–",
                ];
                return ledgers is null ? cells : [.. cells, ledgers.Recorded(row) ? "yes" : ""];
            }));
    }

    /// <summary>The costliest cold requests: when, where, why, and what the cold cache cost.</summary>
    public static string Cold(IEnumerable<(UsageSummary Session, ColdRequest Cold)> requests) => Table(
        "cold",
        ["time (UTC)", "project", "session", "reason", "gap", "context", "written again", "extra cost", "model"],
        requests.Select(r => new[]
        {
            HtmlText.Time(r.Cold.At), r.Session.Project ?? "–", r.Session.SessionId ?? "–", r.Cold.Reason, HtmlText.Duration(r.Cold.Gap.TotalSeconds),
            HtmlText.Number(r.Cold.Context), HtmlText.Number(r.Cold.CacheWrite), r.Cold.ExtraCostUsd is { } extra ? HtmlText.Usd(extra) : "unpriced", r.Cold.Model ?? "–",
        }));

    public static string LedgerOnly(IEnumerable<CompactionRecord> records) => Table(
        "ledger-only",
        ["time (UTC)", "session", "trigger", "preTokens", "source"],
        records.Select(r => new[] { HtmlText.Time(r.At), r.SessionId, r.Trigger ?? "–", HtmlText.Number(r.PreTokens), r.Source }));

    public static string Forks(IEnumerable<SessionRecord> forks) => Table(
        "forks",
        ["created (UTC)", "session", "forked from", "reason", "cwd"],
        forks.Select(f => new[] { HtmlText.Time(f.CreatedAt), f.SessionId, f.ParentSessionId ?? "–", f.ForkReason ?? "–", f.Cwd ?? "–" }));

    public static string Unreadable(IReadOnlyList<UnreadableFile> files) => Table(
        "unreadable",
        ["file", "why"],
        files.Select(f => new[] { f.Path, f.Reason }));

    private static string Table(string name, string[] headers, IEnumerable<string[]> rows)
    {
        var html = new StringBuilder($"<table data-table=\"{HtmlText.Escape(name)}\"><thead><tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(HtmlText.Escape(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (string[] row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(HtmlText.Escape(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
