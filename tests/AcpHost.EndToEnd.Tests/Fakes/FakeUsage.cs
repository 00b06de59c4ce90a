namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>The input side of the usage a fake answer reports.</summary>
/// <param name="InputTokens"><c>usage.input_tokens</c>.</param>
/// <param name="OneHourCacheTokens">
/// Tokens written to the prompt cache with the one-hour TTL: <c>cache_creation_input_tokens</c> and
/// <c>cache_creation.ephemeral_1h_input_tokens</c>. Zero reports no cache written.
/// </param>
internal readonly record struct FakeUsage(long InputTokens, long OneHourCacheTokens);
