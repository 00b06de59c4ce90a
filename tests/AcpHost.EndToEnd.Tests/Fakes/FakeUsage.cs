namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>The input side of the usage a fake answer reports.</summary>
/// <param name="InputTokens"><c>usage.input_tokens</c>.</param>
/// <param name="OneHourCacheTokens">
/// Tokens written to the prompt cache with the one-hour TTL: <c>cache_creation.ephemeral_1h_input_tokens</c> (and part of
/// <c>cache_creation_input_tokens</c>). Zero reports no such write.
/// </param>
/// <param name="FiveMinuteCacheTokens">Tokens written with the five-minute TTL (<c>cache_creation.ephemeral_5m_input_tokens</c>).</param>
/// <param name="CacheReadTokens">Tokens read from the cache (<c>cache_read_input_tokens</c>).</param>
internal readonly record struct FakeUsage(long InputTokens, long OneHourCacheTokens, long FiveMinuteCacheTokens = 0, long CacheReadTokens = 0);
