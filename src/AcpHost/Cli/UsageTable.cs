using System.Globalization;
using AcpHost.PostMortem;
using AcpHost.Usage;
using AcpHost.Events;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost usage</c> for people, in 100 columns: the sessions costliest first, the projects, the costliest cold
/// requests, and a closing line saying what share of the cost the cold requests were.
/// </summary>
internal static class UsageTable
{
    /// <summary>How many cold requests are listed: the costliest.</summary>
    public const int ColdListed = 10;

    private const int ProjectWidth = 20;

    private const int ProjectsWidth = 25;

    public static IEnumerable<string> Lines(ScanResult scan)
    {
        UsageResult usage = scan.Usage;
        if (usage.Sessions.Count == 0)
        {
            yield return "No model requests found.";
            yield break;
        }

        foreach (string line in TextColumns.Lines(
            ["cost", "cold extra", "cold", "requests", "subagent", "peak", "median", ">160k", "session", "project"],
            [true, true, true, true, true, true, true, true, false, false],
            usage.Sessions.Select(s => new[]
            {
                Usd(s.Totals.CostUsd), Usd(s.Totals.ColdExtraCostUsd), Number(s.Totals.ColdRequests), Number(s.Totals.Requests),
                Number(s.Totals.SidechainRequests), Tokens(s.Totals.PeakContext), Tokens(s.Totals.MedianContext), Number(s.Totals.RequestsOver160k),
                Short(s.SessionId!, 8), Tail(s.Project ?? "", ProjectWidth),
            })))
        {
            yield return line;
        }

        yield return "";
        // Requests above 160k and 500k tokens of context, and their share of the cost.
        foreach (string line in TextColumns.Lines(
            ["cost", "cold extra", "cold", "requests", "sessions", "over 160k", "over 500k", "project"],
            [true, true, true, true, true, true, true, false],
            usage.Projects.Append(usage.Total).Select(p => new[]
            {
                Usd(p.Totals.CostUsd), Usd(p.Totals.ColdExtraCostUsd), Number(p.Totals.ColdRequests), Number(p.Totals.Requests), Number(p.Sessions),
                Over(p.Totals.RequestsOver160k, p.Totals.CostOver160kUsd, p.Totals.CostUsd), Over(p.Totals.RequestsOver500k, p.Totals.CostOver500kUsd, p.Totals.CostUsd),
                p.Project is { } project ? Tail(project, ProjectsWidth) : "(total)",
            })))
        {
            yield return line;
        }

        List<(UsageSummary Session, ColdRequest Cold)> cold = [.. usage.Sessions.SelectMany(s => s.Cold.Select(c => (s, c)))];
        if (cold.Count > 0)
        {
            yield return "";
            yield return cold.Count > ColdListed ? $"The {ColdListed} costliest of {cold.Count:N0} cold requests:" : "Cold requests, costliest first:";
            foreach (string line in TextColumns.Lines(
                ["time (UTC)", "session", "reason", "gap", "context", "written", "extra", "model"],
                [false, false, false, true, true, true, true, false],
                cold.OrderByDescending(c => c.Cold.ExtraCostUsd ?? -1).ThenBy(c => c.Cold.At).Take(ColdListed).Select(c => new[]
                {
                    c.Cold.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Short(c.Session.SessionId!, 8), c.Cold.Reason,
                    Gap(c.Cold.Gap), Tokens(c.Cold.Context), Tokens(c.Cold.CacheWrite), c.Cold.ExtraCostUsd is { } extra ? Usd(extra) : "unpriced",
                    Tail(c.Cold.Model ?? "–", ProjectWidth),
                })))
            {
                yield return line;
            }

            yield return "By reason: " + string.Join(", ", ColdReasons.All.Select(reason => $"{cold.Count(c => c.Cold.Reason == reason):N0} {reason}")) + ".";
        }

        UsageTotals total = usage.Total.Totals;
        if (total.UnpricedModels.Count > 0)
        {
            yield return "";
            yield return $"Not in the cost (no price; see docs/usage.md to add one): {string.Join(", ", total.UnpricedModels)}.";
        }

        yield return "";
        yield return ClosingLine(total);
    }

    /// <summary>The last line: what share of the cost the cold requests were, and how much of it a warm cache would have saved.</summary>
    public static string ClosingLine(UsageTotals total)
    {
        ArgumentNullException.ThrowIfNull(total);
        string counted = string.Create(CultureInfo.InvariantCulture, $"Cold requests: {total.ColdRequests:N0} of {total.Requests:N0}");
        return total.CostUsd > 0
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{counted}, {Usd(total.ColdCostUsd)} ({Percent(total.ColdCostUsd, total.CostUsd)}) of {Usd(total.CostUsd)}; {Usd(total.ColdExtraCostUsd)} ({Percent(total.ColdExtraCostUsd, total.CostUsd)}) extra for the cold cache.")
            : counted + "; no priced request, so no cost.";
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Usd(double value) => HtmlText.Usd(value);

    private static string Percent(double part, double whole) => (part / whole).ToString("0.0 %", CultureInfo.InvariantCulture);

    private static string Over(long requests, double cost, double total) =>
        requests == 0 ? "0" : total > 0 ? $"{Number(requests)} {(cost / total).ToString("0%", CultureInfo.InvariantCulture)}" : Number(requests);

    private static string Tokens(long? value) => value is { } tokens ? HtmlText.Tokens(tokens) : "–";

    private static string Gap(TimeSpan gap) => gap switch
    {
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{gap.TotalSeconds:0}s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{gap.Minutes}m{gap.Seconds:00}s"),
        { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{gap.Hours}h{gap.Minutes:00}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)gap.TotalDays}d{gap.Hours:00}h"),
    };

    private static string Short(string text, int length) => text.Length <= length ? text : text[..length];

    // The end of a path is what tells projects apart.
    private static string Tail(string text, int length) => text.Length <= length ? text : "…" + text[^(length - 1)..];
}
