using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>
/// What the requests cost per UTC day, stacked by kind: cache reads at the bottom, then cache writes (warm), the cache
/// writes of cold requests, uncached input, and output on top.
/// </summary>
internal static class CostChart
{
    public const string Name = "cost-per-day";

    public static string Render(IReadOnlyList<(DateOnly Day, CostByKind Cost)> days)
    {
        if (days.Count == 0)
        {
            return SvgPlot.Empty(Name, "No priced model requests.");
        }

        DateOnly first = days[0].Day;
        int count = days[^1].Day.DayNumber - first.DayNumber + 1;
        (double top, double step) = AxisTicks.Values(days.Max(day => day.Cost.Total));
        var plot = new SvgPlot(Name, "Cost per day (UTC), by kind of token", -0.5, count - 0.5, top);
        plot.Axes(AxisTicks.Days(first, count), step, HtmlText.Usd, "USD per day");
        double width = Math.Max(1, SvgPlot.PlotWidth / count * 0.8);
        plot.Add("<g class=\"bars\">");
        foreach ((DateOnly day, CostByKind cost) in days)
        {
            int i = day.DayNumber - first.DayNumber;
            double y = 0;
            foreach ((string kind, string label, string color, double usd) in Kinds(cost))
            {
                plot.Bar(i, width, y, y + usd, kind, color, $"{AxisTicks.Day(day)}: {HtmlText.Usd(usd)} {label}");
                y += usd;
            }
        }

        plot.Add("</g>");
        plot.Legend(Kinds(default).Select(kind => (kind.Color, kind.Label)));
        return plot.Close();
    }

    private static (string Kind, string Label, string Color, double Usd)[] Kinds(CostByKind cost) =>
    [
        ("cache-reads", "cache reads", ReportColors.CacheRead, cost.CacheRead),
        ("cache-writes", "cache writes", ReportColors.CacheWrite, cost.CacheWrite - cost.ColdCacheWrite),
        ("cold-cache-writes", "of which cold", ReportColors.Cold, cost.ColdCacheWrite),
        ("input", "input", ReportColors.Input, cost.Input),
        ("output", "output", ReportColors.Output, cost.Output),
    ];
}
