using System.Text;

namespace AcpHost.Features.PostMortem;

/// <summary>Compactions per UTC day as bars: manual (and unknown) at the bottom, idle on them, automatic on top.</summary>
internal static class DailyChart
{
    public const string Name = "per-day";

    public static string Render(IReadOnlyList<CompactionRow> rows)
    {
        List<DateOnly> days = [.. rows.Where(row => row.At is not null).Select(row => DateOnly.FromDateTime(row.At!.Value.UtcDateTime))];
        if (days.Count == 0)
        {
            return SvgPlot.Empty(Name, "No compactions with a time.");
        }

        DateOnly first = days.Min();
        int count = days.Max().DayNumber - first.DayNumber + 1;
        var auto = new int[count];
        var idle = new int[count];
        var other = new int[count];
        foreach (CompactionRow row in rows.Where(row => row.At is not null))
        {
            int day = DateOnly.FromDateTime(row.At!.Value.UtcDateTime).DayNumber - first.DayNumber;
            (row.Trigger switch { "auto" => auto, "idle" => idle, _ => other })[day]++;
        }

        (double top, double step) = AxisTicks.Values(Enumerable.Range(0, count).Max(i => auto[i] + idle[i] + other[i]));
        step = Math.Max(1, Math.Round(step));
        top = Math.Ceiling(top / step) * step;
        var plot = new SvgPlot(Name, "Compactions per day (UTC)", -0.5, count - 0.5, top);
        int labelEvery = Math.Max(1, (int)Math.Ceiling(count / 10.0));
        plot.Axes(
            Enumerable.Range(0, count).Where(i => i % labelEvery == 0).Select(i => ((double)i, first.AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
            step,
            value => HtmlText.Number((long)value),
            "compactions per day");
        double width = Math.Max(1, SvgPlot.PlotWidth / count * 0.8);
        var bars = new StringBuilder("<g class=\"bars\">");
        for (int i = 0; i < count; i++)
        {
            string day = first.AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Bar(bars, plot, i, width, 0, other[i], "manual", ReportColors.Manual, day);
            Bar(bars, plot, i, width, other[i], other[i] + idle[i], "idle", ReportColors.Idle, day);
            Bar(bars, plot, i, width, other[i] + idle[i], other[i] + idle[i] + auto[i], "auto", ReportColors.Auto, day);
        }

        plot.Add(bars.Append("</g>").ToString());
        plot.Legend([(ReportColors.Auto, "auto"), (ReportColors.Idle, "idle"), (ReportColors.Manual, "manual / other")]);
        return plot.Close();
    }

    private static void Bar(StringBuilder bars, SvgPlot plot, int index, double width, int from, int to, string kind, string color, string day)
    {
        if (to <= from)
        {
            return;
        }

        double top = plot.Y(to);
        bars.Append($"<rect class=\"{kind}\" x=\"{HtmlText.Px(plot.X(index) - (width / 2))}\" y=\"{HtmlText.Px(top)}\" width=\"{HtmlText.Px(width)}\" height=\"{HtmlText.Px(plot.Y(from) - top)}\" fill=\"{color}\">")
            .Append($"<title>{HtmlText.Escape($"{day}: {to - from} {kind}")}</title></rect>");
    }
}
