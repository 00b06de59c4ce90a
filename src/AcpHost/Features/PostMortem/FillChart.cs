using System.Text;
using AcpHost.Usage;

namespace AcpHost.Features.PostMortem;

/// <summary>
/// The context fill of the sessions that compacted most, one line each against the time since the session began (so
/// sessions of different days share the axis), with a ring where each compaction flattened it.
/// </summary>
internal static class FillChart
{
    public const string Name = "fill";

    /// <summary>How many sessions are drawn: more lines than this become unreadable.</summary>
    public const int MaxSessions = 5;

    /// <summary>The sessions drawn: most compactions first, then highest fill.</summary>
    public static List<SessionFill> Pick(IReadOnlyList<SessionFill> sessions) =>
        [.. sessions.Where(s => s.Points.Count > 0)
            .OrderByDescending(s => s.Compactions.Count)
            .ThenByDescending(s => s.PeakTokens)
            .ThenBy(s => s.SessionId, StringComparer.Ordinal)
            .Take(MaxSessions)];

    public static string Render(IReadOnlyList<SessionFill> sessions)
    {
        List<SessionFill> drawn = Pick(sessions);
        if (drawn.Count == 0)
        {
            return SvgPlot.Empty(Name, "No assistant messages with a usage.");
        }

        double span = drawn.Max(s => Seconds(s, s.Points[^1].At, s.Compactions.Select(row => row.At)));
        (double top, double step) = AxisTicks.Values(drawn.Max(s => s.PeakTokens));
        var plot = new SvgPlot(Name, "Context fill of the sessions that compacted most", 0, Math.Max(span, 60), top);
        plot.Axes(AxisTicks.Durations(Math.Max(span, 60)), step, HtmlText.Tokens, "context fill (tokens)");
        var marks = new StringBuilder();
        for (int i = 0; i < drawn.Count; i++)
        {
            SessionFill session = drawn[i];
            string color = ReportColors.Sessions[i % ReportColors.Sessions.Length];
            DateTimeOffset start = session.Points[0].At;
            string points = string.Join(' ', session.Points.Select(p => $"{HtmlText.Px(plot.X((p.At - start).TotalSeconds))},{HtmlText.Px(plot.Y(p.Tokens))}"));
            marks.Append($"<polyline class=\"fill-line\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\">")
                .Append($"<title>{HtmlText.Escape($"{session.SessionId} · {session.Project}")}</title></polyline>");
            foreach (CompactionRow row in session.Compactions.Where(row => row.At is not null && row.PreTokens is not null))
            {
                double x = Math.Max(0, (row.At!.Value - start).TotalSeconds);
                marks.Append($"<circle class=\"compaction {HtmlText.Escape(row.Trigger ?? "unknown")}\" cx=\"{HtmlText.Px(plot.X(x))}\" cy=\"{HtmlText.Px(plot.Y(row.PreTokens!.Value))}\" r=\"5.5\" fill=\"#fff\" stroke=\"{color}\" stroke-width=\"2.5\">")
                    .Append($"<title>{HtmlText.Escape($"{row.Trigger ?? "unknown"} compaction at {HtmlText.Time(row.At)} UTC: {HtmlText.Number(row.PreTokens)} tokens flattened")}</title></circle>");
            }
        }

        plot.Add(marks.ToString());
        plot.Legend(drawn.Select((s, i) => (ReportColors.Sessions[i % ReportColors.Sessions.Length], Label(s))));
        return plot.Close();
    }

    /// <summary>A short name for a session: its id's first block and its project's last folder.</summary>
    public static string Label(SessionFill session)
    {
        string id = session.SessionId.Length > 8 ? session.SessionId[..8] : session.SessionId;
        string project = Path.GetFileName(session.Project.TrimEnd('/'));
        return project.Length > 0 ? $"{id} ({project})" : id;
    }

    private static double Seconds(SessionFill session, DateTimeOffset last, IEnumerable<DateTimeOffset?> compactions)
    {
        DateTimeOffset start = session.Points[0].At;
        DateTimeOffset end = compactions.Where(at => at is not null).Select(at => at!.Value).Append(last).Max();
        return (end - start).TotalSeconds;
    }
}
