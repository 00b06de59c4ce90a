using System.Text;
using AcpHost.Usage;
using AcpHost.Events;

namespace AcpHost.PostMortem;

/// <summary>
/// The context of a few sessions, one line each against the time since the session began (so sessions of different
/// days share the axis), with a ring where each compaction flattened it: the sessions that compacted most, or the
/// costliest ones with their cold requests (red squares) and the forks made from them (dashed lines) marked too.
/// </summary>
internal static class FillChart
{
    public const string Name = "fill";

    public const string CostliestName = "context";

    /// <summary>How many sessions are drawn: more lines than this become unreadable.</summary>
    public const int MaxSessions = 5;

    /// <summary>The sessions drawn: most compactions first, then highest fill.</summary>
    public static List<SessionFill> Pick(IReadOnlyList<SessionFill> sessions) =>
        [.. sessions.Where(s => s.Points.Count > 0)
            .OrderByDescending(s => s.Compactions.Count)
            .ThenByDescending(s => s.PeakTokens)
            .ThenBy(s => s.SessionId, StringComparer.Ordinal)
            .Take(MaxSessions)];

    /// <summary>The sessions drawn by <see cref="RenderCostliest"/>: costliest first.</summary>
    public static List<SessionFill> PickCostliest(IReadOnlyList<SessionFill> sessions) =>
        [.. sessions.Where(s => s.Points.Count > 0)
            .OrderByDescending(s => s.CostUsd)
            .ThenBy(s => s.SessionId, StringComparer.Ordinal)
            .Take(MaxSessions)];

    public static string Render(IReadOnlyList<SessionFill> sessions) =>
        Draw(Name, "Context fill of the sessions that compacted most", Pick(sessions), forks: null);

    /// <param name="sessions">Every session of the scan.</param>
    /// <param name="forks">The forks made from each session: when, and the fork's id.</param>
    public static string RenderCostliest(IReadOnlyList<SessionFill> sessions, ILookup<string, (DateTimeOffset At, string SessionId)> forks) =>
        Draw(CostliestName, "Context per request of the costliest sessions", PickCostliest(sessions), forks);

    private static string Draw(string name, string title, List<SessionFill> drawn, ILookup<string, (DateTimeOffset At, string SessionId)>? forks)
    {
        if (drawn.Count == 0)
        {
            return SvgPlot.Empty(name, "No assistant messages with a usage.");
        }

        double span = Math.Max(60, drawn.Max(s => Seconds(s, forks?[s.SessionId].Select(fork => fork.At) ?? [])));
        (double top, double step) = AxisTicks.Values(drawn.Max(s => s.PeakTokens));
        var plot = new SvgPlot(name, title, 0, span, top);
        plot.Axes(AxisTicks.Durations(span), step, HtmlText.Tokens, "context (tokens)");
        var marks = new StringBuilder();
        for (int i = 0; i < drawn.Count; i++)
        {
            SessionFill session = drawn[i];
            string color = ReportColors.Sessions[i % ReportColors.Sessions.Length];
            DateTimeOffset start = session.Points[0].At;
            string X(DateTimeOffset at) => HtmlText.Px(plot.X(Math.Max(0, (at - start).TotalSeconds)));
            string points = string.Join(' ', session.Points.Select(p => $"{X(p.At)},{HtmlText.Px(plot.Y(p.Tokens))}"));
            marks.Append($"<polyline class=\"fill-line\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\">")
                .Append($"<title>{HtmlText.Escape($"{session.SessionId} · {session.Project}{(forks is null ? "" : " · " + HtmlText.Usd(session.CostUsd))}")}</title></polyline>");
            foreach (CompactionRow row in session.Compactions.Where(row => row.At is not null && row.PreTokens is not null))
            {
                marks.Append($"<circle class=\"compaction {HtmlText.Escape(row.Trigger ?? "unknown")}\" cx=\"{X(row.At!.Value)}\" cy=\"{HtmlText.Px(plot.Y(row.PreTokens!.Value))}\" r=\"5.5\" fill=\"#fff\" stroke=\"{color}\" stroke-width=\"2.5\">")
                    .Append($"<title>{HtmlText.Escape($"{row.Trigger ?? "unknown"} compaction at {HtmlText.Time(row.At)} UTC: {HtmlText.Number(row.PreTokens)} tokens flattened")}</title></circle>");
            }

            if (forks is null)
            {
                continue;
            }

            foreach (ColdRequest cold in session.Cold.Where(cold => !cold.Sidechain))
            {
                marks.Append($"<rect class=\"cold {HtmlText.Escape(cold.Reason)}\" x=\"{HtmlText.Px(plot.X(Math.Max(0, (cold.At - start).TotalSeconds)) - 4.5)}\" y=\"{HtmlText.Px(plot.Y(cold.Context) - 4.5)}\" width=\"9\" height=\"9\" fill=\"{ReportColors.Cold}\">")
                    .Append($"<title>{HtmlText.Escape($"cold ({cold.Reason}) at {HtmlText.Time(cold.At)} UTC after {HtmlText.Duration(cold.Gap.TotalSeconds)}: {HtmlText.Number(cold.CacheWrite)} tokens written again, {(cold.ExtraCostUsd is { } extra ? HtmlText.Usd(extra) : "unpriced")} extra")}</title></rect>");
            }

            foreach ((DateTimeOffset at, string fork) in forks[session.SessionId])
            {
                marks.Append($"<line class=\"fork\" x1=\"{X(at)}\" x2=\"{X(at)}\" y1=\"{HtmlText.Px(plot.Y(top))}\" y2=\"{HtmlText.Px(plot.Y(0))}\" stroke=\"{color}\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\">")
                    .Append($"<title>{HtmlText.Escape($"forked at {HtmlText.Time(at)} UTC into {fork}")}</title></line>");
            }
        }

        plot.Add(marks.ToString());
        IEnumerable<(string, string)> legend = drawn.Select((s, i) => (ReportColors.Sessions[i % ReportColors.Sessions.Length], Label(s)));
        plot.Legend(forks is null ? legend : legend.Append((ReportColors.Cold, "cold request")));
        return plot.Close();
    }

    /// <summary>A short name for a session: its id's first block and its project's last folder.</summary>
    public static string Label(SessionFill session)
    {
        string id = session.SessionId.Length > 8 ? session.SessionId[..8] : session.SessionId;
        string project = Path.GetFileName(session.Project.TrimEnd('/'));
        return project.Length > 0 ? $"{id} ({project})" : id;
    }

    private static double Seconds(SessionFill session, IEnumerable<DateTimeOffset> forks)
    {
        DateTimeOffset start = session.Points[0].At;
        DateTimeOffset end = session.Compactions.Where(row => row.At is not null).Select(row => row.At!.Value).Concat(forks).Append(session.Points[^1].At).Max();
        return (end - start).TotalSeconds;
    }
}
