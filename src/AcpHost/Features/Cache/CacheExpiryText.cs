using AcpHost.Acp;
using AcpHost.Usage;

namespace AcpHost.Features.Cache;

/// <summary>The words of the cache-expiry notice: before the cache expires, or, for a client told only in a turn, after.</summary>
internal static class CacheExpiryText
{
    /// <summary>The notice for <paramref name="sessionId"/>'s cache as it was after its last request.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="cache">What the cache holds and until when.</param>
    /// <param name="ahead">Told before it expires (the client shows it at once); else it has expired, told with the next prompt.</param>
    /// <param name="now">When the notice is made.</param>
    public static HostNotice For(string sessionId, CacheState cache, bool ahead, DateTimeOffset now)
    {
        string tokens = NoticeText.Tokens(cache.Context);
        string last = $"its last model request was at {CacheText.Clock(cache.LastRequestAt)} and the cache lives {CacheText.Span(cache.Ttl)}";
        string cost = cache is { ColdCostUsd: { } cold, ColdExtraCostUsd: { } extra }
            ? $"{CacheText.Usd(cold)}, {CacheText.Usd(extra)} more than from a warm cache"
            : $"no price configured for {cache.Model ?? "its model"}";
        if (!ahead)
        {
            return new HostNotice(sessionId, NoticeKind.CacheExpiry, "Prompt cache went cold",
                $"This session's prompt cache expired at {CacheText.Clock(cache.ExpiresAt)} ({last}): this prompt writes its {tokens} tokens of context into the cache again ({cost}).");
        }

        return new HostNotice(sessionId, NoticeKind.CacheExpiry, "Prompt cache about to go cold",
            $"This session's prompt cache of {tokens} tokens expires at {CacheText.Clock(cache.ExpiresAt)}, in {CacheText.Span(cache.ExpiresAt - now)} ({last}).")
        {
            Parts =
            [
                cache.WarmCostUsd is { } warm ? $"A prompt sent before then reads the context from the cache ({CacheText.Usd(warm)})." : "A prompt sent before then reads the context from the cache.",
                $"A prompt sent after writes all {tokens} tokens again ({cost}).",
            ],
        };
    }
}
