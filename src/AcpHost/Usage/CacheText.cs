using System.Globalization;
namespace AcpHost.Usage;

/// <summary>
/// How the host words a prompt cache for the user (the <c>/context</c> addition, the cache-expiry notice): times to the
/// second in UTC, lifetimes and spans in minutes and seconds, amounts in US dollars, a model without a price said so.
/// </summary>
internal static class CacheText
{
    /// <summary><c>14:03:27 UTC</c>.</summary>
    public static string Clock(DateTimeOffset at) => at.ToUniversalTime().ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary><c>1 h</c>, <c>5 min</c>, <c>3 min 12 s</c>, <c>4 s</c>.</summary>
    public static string Span(TimeSpan span)
    {
        long seconds = (long)Math.Round(Math.Max(0, span.TotalSeconds));
        (long hours, long minutes, long rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return string.Join(' ', new[] { hours > 0 ? $"{hours} h" : null, minutes > 0 ? $"{minutes} min" : null, rest > 0 || seconds == 0 ? $"{rest} s" : null }.OfType<string>());
    }

    /// <summary><c>412,000</c>, as the notices write tokens.</summary>
    public static string Tokens(long tokens) => tokens.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>$3.20</c>; below a cent, to four places: <c>$0.0042</c>.</summary>
    public static string Usd(double usd) =>
        "$" + usd.ToString(Math.Abs(usd) >= 0.01 || usd == 0 ? "0.00" : "0.0000", CultureInfo.InvariantCulture);

    /// <summary>
    /// What the next prompt pays for the context <paramref name="cache"/> holds: read from a warm cache, written again
    /// into a cold one, and the difference; tokens only, saying why, for a model without a price.
    /// </summary>
    public static string NextPrompt(CacheState cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        string tokens = Tokens(cache.Context);
        return cache is { WarmCostUsd: { } warm, ColdCostUsd: { } cold, ColdExtraCostUsd: { } extra }
            ? $"Next prompt: warm, it reads {tokens} tokens from the cache ({Usd(warm)}); cold, it writes them again ({Usd(cold)}, {Usd(extra)} more)."
            : $"Next prompt: warm, it reads {tokens} tokens from the cache; cold, it writes them again (no price configured for {cache.Model ?? "its model"}: Pricing:Models:<model>:…).";
    }
}
