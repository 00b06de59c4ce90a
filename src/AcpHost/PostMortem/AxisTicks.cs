using System.Globalization;

namespace AcpHost.PostMortem;

/// <summary>Where the charts put their axis ticks: round numbers, round times, round durations.</summary>
internal static class AxisTicks
{
    private static readonly long[] TimeSteps =
        [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 182 * 86400, 365 * 86400];

    /// <summary>A round top for a value axis starting at zero, and its step (1, 2, 2.5 or 5 times a power of ten).</summary>
    public static (double Top, double Step) Values(double max, int wanted = 5)
    {
        if (max <= 0)
        {
            return (1, 1);
        }

        double raw = max / wanted;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(f => f * power).First(candidate => candidate >= raw);
        return (Math.Ceiling(max / step) * step, step);
    }

    /// <summary>Ticks on a time axis in Unix seconds, labelled as UTC dates (or times, for a short range).</summary>
    public static IEnumerable<(double Value, string Label)> Times(double from, double to, int wanted = 8)
    {
        long step = Step(to - from, wanted);
        string format = step < 86400 ? "MM-dd HH:mm" : "yyyy-MM-dd";
        for (long tick = (long)Math.Ceiling(from / step) * step; tick <= to; tick += step)
        {
            yield return (tick, DateTimeOffset.FromUnixTimeSeconds(tick).UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Ticks on an elapsed-time axis in seconds, labelled as durations.</summary>
    public static IEnumerable<(double Value, string Label)> Durations(double to, int wanted = 8)
    {
        long step = Step(to, wanted);
        for (long tick = 0; tick <= to; tick += step)
        {
            yield return (tick, HtmlText.Duration(tick));
        }
    }

    /// <summary>Ticks on an axis of <paramref name="count"/> days from <paramref name="first"/> (day i at x = i), ten labels at most.</summary>
    public static IEnumerable<(double Value, string Label)> Days(DateOnly first, int count)
    {
        int every = Math.Max(1, (int)Math.Ceiling(count / 10.0));
        return Enumerable.Range(0, count).Where(i => i % every == 0).Select(i => ((double)i, Day(first.AddDays(i))));
    }

    /// <summary>A UTC day as the charts label it.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Step(double range, int wanted) => TimeSteps.FirstOrDefault(step => range / step <= wanted, TimeSteps[^1]);
}
