using AcpHost.Storage.Transcripts;

namespace AcpHost.Usage;

/// <summary>What a model charges for each kind of token, in USD per million tokens.</summary>
/// <param name="Input">Input read neither from nor into the cache.</param>
/// <param name="Output">Output.</param>
/// <param name="CacheWrite5m">Input written to the cache for five minutes.</param>
/// <param name="CacheWrite1h">Input written to the cache for an hour.</param>
/// <param name="CacheRead">Input read from the cache (a hit, which also refreshes it).</param>
internal sealed record ModelPrice(double Input, double Output, double CacheWrite5m, double CacheWrite1h, double CacheRead)
{
    private const double PerMillion = 1_000_000;

    /// <summary>What <paramref name="tokens"/> cost at these prices, by kind.</summary>
    public CostByKind Cost(TokenCounts tokens) => new(
        tokens.Input * Input / PerMillion,
        ((tokens.CacheWrite5m * CacheWrite5m) + (tokens.CacheWrite1h * CacheWrite1h)) / PerMillion,
        tokens.CacheRead * CacheRead / PerMillion,
        tokens.Output * Output / PerMillion);

    /// <summary>
    /// What a request's cache writes cost beyond the same request served from a warm cache: each token written at
    /// its write price instead of the read price.
    /// </summary>
    public double ColdExtra(TokenCounts tokens) =>
        ((tokens.CacheWrite5m * (CacheWrite5m - CacheRead)) + (tokens.CacheWrite1h * (CacheWrite1h - CacheRead))) / PerMillion;
}
