using System.Globalization;

namespace AcpHost.Cli;

/// <summary>
/// Reads a <c>--since</c> value: an age such as <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c> or <c>2w</c>, or an
/// ISO-8601 date or date and time (<c>2026-03-01</c>, <c>2026-03-01T09:30</c>, <c>2026-03-01T09:30:00+02:00</c>),
/// taken as UTC when it has no offset.
/// </summary>
internal static class SinceParser
{
    /// <summary>What the option's help and error message show.</summary>
    public const string Accepted = "an ISO-8601 date/time (UTC unless it has an offset) or an age such as 30m, 12h, 7d";

    /// <summary>The moment <paramref name="text"/> names, relative to <paramref name="now"/> for an age.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (TryParseAge(text, out long ticks))
        {
            // An age older than the calendar means "everything", not an error.
            long available = (now - DateTimeOffset.MinValue).Ticks;
            since = ticks >= available ? DateTimeOffset.MinValue : now - TimeSpan.FromTicks(ticks);
            return true;
        }

        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out since);
    }

    private static bool TryParseAge(string text, out long ticks)
    {
        ticks = 0;
        if (text.Length < 2)
        {
            return false;
        }

        long unit = text[^1] switch
        {
            's' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMinute,
            'h' => TimeSpan.TicksPerHour,
            'd' => TimeSpan.TicksPerDay,
            'w' => TimeSpan.TicksPerDay * 7,
            _ => 0,
        };
        if (unit == 0 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            return false;
        }

        ticks = amount > long.MaxValue / unit ? long.MaxValue : amount * unit;
        return true;
    }
}
