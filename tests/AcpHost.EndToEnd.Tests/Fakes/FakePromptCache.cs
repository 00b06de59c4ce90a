namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>
/// The prompt cache of one conversation as the Messages API keeps it, for <see cref="FakeMessagesApi.PromptCache"/>:
/// a request within <c>ttl</c> of the previous one reads from the cache what that one held and writes only the rest
/// (five-minute cache); a request after it finds the cache expired and writes its whole context again. Ten tokens of
/// each request are uncached input, as the tail of a real prompt is. Thread-safe.
/// </summary>
public sealed class FakePromptCache(TimeSpan ttl)
{
    private const long Uncached = 10;

    private readonly Lock _lock = new();
    private long _cached;
    private DateTimeOffset? _last;

    /// <summary>How long a cache entry lives after the request that last used it.</summary>
    public TimeSpan Ttl => ttl;

    /// <summary>The usage of a request of <paramref name="context"/> tokens at <paramref name="now"/>, and the cache after it.</summary>
    internal FakeUsage Next(long context, long oneHourTokens, DateTimeOffset now)
    {
        lock (_lock)
        {
            long input = Math.Min(Uncached, context);
            long read = _last is { } last && now - last <= ttl ? Math.Min(_cached, context - input) : 0;
            _cached = context;
            _last = now;
            return new FakeUsage(input, oneHourTokens, FiveMinuteCacheTokens: context - input - read, CacheReadTokens: read);
        }
    }
}
