namespace AcpHost.PostMortem;

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
        plot.Axes(AxisTicks.Days(first, count), step, value => HtmlText.Number((long)value), "compactions per day");
        double width = Math.Max(1, SvgPlot.PlotWidth / count * 0.8);
        plot.Add("<g class=\"bars\">");
        for (int i = 0; i < count; i++)
        {
            string day = AxisTicks.Day(first.AddDays(i));
            plot.Bar(i, width, 0, other[i], "manual", ReportColors.Manual, $"{day}: {other[i]} manual");
            plot.Bar(i, width, other[i], other[i] + idle[i], "idle", ReportColors.Idle, $"{day}: {idle[i]} idle");
            plot.Bar(i, width, other[i] + idle[i], other[i] + idle[i] + auto[i], "auto", ReportColors.Auto, $"{day}: {auto[i]} auto");
        }

        plot.Add("</g>");
        plot.Legend([(ReportColors.Auto, "auto"), (ReportColors.Idle, "idle"), (ReportColors.Manual, "manual / other")]);
        return plot.Close();
    }
}
