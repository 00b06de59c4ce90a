using System.Text;

namespace AcpHost.PostMortem;

/// <summary>Every compaction as a dot: when (x) and how many tokens it flattened (y), coloured by trigger.</summary>
internal static class CompactionsChart
{
    public const string Name = "compactions";

    public static string Render(IReadOnlyList<CompactionRow> rows)
    {
        List<CompactionRow> drawn = [.. rows.Where(row => row.At is not null && row.PreTokens is not null)];
        if (drawn.Count == 0)
        {
            return SvgPlot.Empty(Name, "No compactions with a time and a token count.");
        }

        double from = drawn.Min(row => row.At!.Value.ToUnixTimeSeconds());
        double to = drawn.Max(row => row.At!.Value.ToUnixTimeSeconds());

        // A lone compaction, or a burst within seconds, still gets an axis a few hours wide.
        double pad = Math.Max((to - from) * 0.03, 3600);
        (double top, double step) = AxisTicks.Values(drawn.Max(row => row.PreTokens!.Value));
        var plot = new SvgPlot(Name, "Tokens flattened by each compaction, over time", from - pad, to + pad, top);
        plot.Axes(AxisTicks.Times(from - pad, to + pad), step, HtmlText.Tokens, "tokens flattened (preTokens)");
        var dots = new StringBuilder("<g class=\"dots\">");
        foreach (CompactionRow row in drawn)
        {
            string trigger = row.Trigger ?? "unknown";
            dots.Append($"<circle class=\"{HtmlText.Escape(trigger)}\" cx=\"{HtmlText.Px(plot.X(row.At!.Value.ToUnixTimeSeconds()))}\" cy=\"{HtmlText.Px(plot.Y(row.PreTokens!.Value))}\" r=\"4.5\" ")
                .Append($"fill=\"{ReportColors.Trigger(row.Trigger)}\" fill-opacity=\"0.8\">")
                .Append($"<title>{HtmlText.Escape($"{HtmlText.Time(row.At)} UTC · {trigger} · {HtmlText.Number(row.PreTokens)} tokens · {row.Project} · {row.SessionId}")}</title></circle>");
        }

        plot.Add(dots.Append("</g>").ToString());
        plot.Legend(
        [
            (ReportColors.Auto, $"auto ({drawn.Count(row => row.Trigger == "auto")})"),
            (ReportColors.Manual, $"manual ({drawn.Count(row => row.Trigger == "manual")})"),
            (ReportColors.Idle, $"idle ({drawn.Count(row => row.Trigger == "idle")})"),
        ]);
        return plot.Close();
    }
}
