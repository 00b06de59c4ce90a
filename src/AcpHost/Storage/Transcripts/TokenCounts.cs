namespace AcpHost.Storage.Transcripts;

/// <summary>
/// The tokens of one model request by kind, as its <c>usage</c> reports them (or a sum of such). Sums saturate
/// (<see cref="TokenMath"/>): the numbers come from files anyone can write.
/// </summary>
/// <param name="Input">Input tokens read neither from nor into the prompt cache (<c>input_tokens</c>).</param>
/// <param name="CacheWrite5m">Input written to the cache with the five-minute lifetime (<c>cache_creation.ephemeral_5m_input_tokens</c>;
/// all of <c>cache_creation_input_tokens</c> when a line does not split it).</param>
/// <param name="CacheWrite1h">Input written to the cache with the one-hour lifetime (<c>cache_creation.ephemeral_1h_input_tokens</c>).</param>
/// <param name="CacheRead">Input read from the cache (<c>cache_read_input_tokens</c>).</param>
/// <param name="Output">Output tokens (<c>output_tokens</c>).</param>
internal readonly record struct TokenCounts(long Input, long CacheWrite5m, long CacheWrite1h, long CacheRead, long Output)
{
    /// <summary>Everything written to the cache.</summary>
    public long CacheWrite => TokenMath.Add(CacheWrite5m, CacheWrite1h);

    /// <summary>The context the request was answered from: input, cache writes and cache reads.</summary>
    public long Context => TokenMath.Add(TokenMath.Add(Input, CacheWrite), CacheRead);

    /// <summary>True when every count is zero (the agent's synthetic messages report so).</summary>
    public bool IsZero => this == default;

    /// <summary>The kind-by-kind sum.</summary>
    public TokenCounts Plus(TokenCounts other) => new(
        TokenMath.Add(Input, other.Input),
        TokenMath.Add(CacheWrite5m, other.CacheWrite5m),
        TokenMath.Add(CacheWrite1h, other.CacheWrite1h),
        TokenMath.Add(CacheRead, other.CacheRead),
        TokenMath.Add(Output, other.Output));

    /// <summary>What <paramref name="other"/> has beyond this, kind by kind (never below zero).</summary>
    public TokenCounts Beyond(TokenCounts other) => new(
        Math.Max(0, other.Input - Input),
        Math.Max(0, other.CacheWrite5m - CacheWrite5m),
        Math.Max(0, other.CacheWrite1h - CacheWrite1h),
        Math.Max(0, other.CacheRead - CacheRead),
        Math.Max(0, other.Output - Output));
}
