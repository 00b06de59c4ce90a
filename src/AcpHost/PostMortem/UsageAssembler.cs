using AcpHost.Events;
using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>
/// Sums the sessions a scan kept into <c>acphost usage</c>'s answer: per session, per project, in total. Compactions a
/// host recorded that no transcript shows count too.
/// </summary>
internal static class UsageAssembler
{
    public static UsageResult Assemble(IReadOnlyList<SessionBuilder> sessions, IReadOnlyList<CompactionRecord> ledgerOnly)
    {
        ILookup<string, DateTimeOffset> recorded = ledgerOnly.ToLookup(record => record.SessionId, record => record.At, StringComparer.Ordinal);
        List<UsageSummary> rows = [];
        var days = new SortedDictionary<DateOnly, CostByKind>();
        foreach (SessionBuilder session in sessions.Where(s => s.Usage?.Totals.Requests > 0 || s.Rows.Count > 0 || recorded.Contains(s.SessionId)))
        {
            UsageTotals totals = session.Usage?.Totals ?? new UsageTotals();
            DateTimeOffset[] lost = [.. recorded[session.SessionId]];
            totals.Compactions = session.Rows.Count + lost.Length;
            rows.Add(new UsageSummary(session.Project, session.SessionId, 1, totals, [.. (session.Usage?.Cold ?? []).Select(cold => WithLost(cold, lost)).OrderBy(cold => cold.At)]));
            foreach ((DateOnly day, CostByKind cost) in session.Usage?.Days ?? new Dictionary<DateOnly, CostByKind>())
            {
                days[day] = days.GetValueOrDefault(day).Plus(cost);
            }
        }

        List<UsageSummary> projects = [.. rows.GroupBy(row => row.Project, StringComparer.Ordinal).Select(group => Sum(group.Key, group))];
        return new UsageResult
        {
            Sessions = Costliest(rows),
            Projects = Costliest(projects),
            Total = Sum(null, rows),
            Days = [.. days.Select(pair => (pair.Key, pair.Value))],
        };
    }

    // A compaction the transcript lost between the two requests explains the cold cache better than a model change or nothing.
    private static ColdRequest WithLost(ColdRequest cold, DateTimeOffset[] lost) =>
        cold.Reason is ColdReasons.Model or ColdReasons.Unknown && lost.Any(at => at > cold.PreviousAt && at <= cold.At)
            ? cold with { Reason = ColdReasons.Compacted }
            : cold;

    private static UsageSummary Sum(string? project, IEnumerable<UsageSummary> rows)
    {
        var totals = new UsageTotals();
        int sessions = 0;
        foreach (UsageSummary row in rows)
        {
            totals.Add(row.Totals);
            sessions += row.Sessions;
        }

        return new UsageSummary(project, null, sessions, totals, []);
    }

    private static List<UsageSummary> Costliest(IEnumerable<UsageSummary> rows) =>
        [.. rows.OrderByDescending(row => row.Totals.CostUsd)
            .ThenByDescending(row => row.Totals.Requests)
            .ThenBy(row => row.Project, StringComparer.Ordinal)
            .ThenBy(row => row.SessionId, StringComparer.Ordinal)];
}
