using System.Globalization;
using System.Net;

namespace AcpHost.PostMortem;

/// <summary>Text as it goes into the report: escaped for HTML and SVG alike, numbers the same on every machine.</summary>
internal static class HtmlText
{
    /// <summary>Escapes &lt; &gt; &amp; and both quotes, so the result is safe in element text and in attribute values.</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A coordinate: invariant, at most one decimal.</summary>
    public static string Px(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A whole number with thousands separators, or a dash.</summary>
    public static string Number(long? value) => value is { } number ? number.ToString("N0", CultureInfo.InvariantCulture) : "–";

    /// <summary>Tokens, short: 950, 12k, 1.2M.</summary>
    public static string Tokens(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0", CultureInfo.InvariantCulture),
    };

    /// <summary>Dollars: cents below $1,000, whole dollars above; "&lt;$0.01" for less than a cent.</summary>
    public static string Usd(double value) => value switch
    {
        <= 0 => "$0",
        < 0.01 => "<$0.01",
        < 1_000 => value.ToString("$#,##0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("$#,##0", CultureInfo.InvariantCulture),
    };

    /// <summary>A UTC time for tables.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } time ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "–";

    /// <summary>An elapsed time, short: 0, 45m, 2h 30m, 3d 4h.</summary>
    public static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Round(seconds));
        return span switch
        {
            { TotalMinutes: < 1 } => span.TotalSeconds < 1 ? "0" : $"{span.Seconds}s",
            { TotalHours: < 1 } => $"{span.Minutes}m",
            { TotalDays: < 1 } => span.Minutes == 0 ? $"{span.Hours}h" : $"{span.Hours}h {span.Minutes}m",
            _ => span.Hours == 0 ? $"{(int)span.TotalDays}d" : $"{(int)span.TotalDays}d {span.Hours}h",
        };
    }
}
