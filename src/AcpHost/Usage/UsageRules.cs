using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Usage;

/// <summary>
/// The rules a request is judged by: how long the prompt cache lives (settings <c>Usage:CacheTtl5m</c> and
/// <c>Usage:CacheTtl1h</c>, the five-minute and one-hour lifetimes; tests shorten them) and the fixed thresholds.
/// </summary>
internal sealed record UsageRules
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Usage";

    /// <summary>A request reading less than this share of its context from the cache found it cold.</summary>
    public const double ColdReadShare = 0.2;

    /// <summary>Smaller contexts are never called cold: writing them again costs next to nothing.</summary>
    public const long ColdMinContext = 5_000;

    /// <summary>A large context: above it every request resends more than a default window held.</summary>
    public const long LargeContext = 160_000;

    /// <summary>A huge context.</summary>
    public const long HugeContext = 500_000;

    /// <summary>How long five-minute cache lives after the request that last wrote or read it.</summary>
    public TimeSpan CacheTtl5m { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one-hour cache lives.</summary>
    public TimeSpan CacheTtl1h { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The rules <paramref name="configuration"/> sets; throws <see cref="FormatException"/> for a bad value.</summary>
    public static UsageRules FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new UsageRules();
        return new UsageRules
        {
            CacheTtl5m = Ttl(configuration, nameof(CacheTtl5m), defaults.CacheTtl5m),
            CacheTtl1h = Ttl(configuration, nameof(CacheTtl1h), defaults.CacheTtl1h),
        };
    }

    private static TimeSpan Ttl(IConfiguration configuration, string name, TimeSpan fallback)
    {
        string key = $"{Section}:{name}";
        return configuration[key] is not { Length: > 0 } text
            ? fallback
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan ttl) && ttl > TimeSpan.Zero
                ? ttl
                : throw new FormatException($"{key} '{text}' is not a positive time span such as 00:05:00");
    }
}
