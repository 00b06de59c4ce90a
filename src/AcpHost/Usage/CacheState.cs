using AcpHost.Storage.Transcripts;

namespace AcpHost.Usage;

/// <summary>
/// What a conversation's prompt cache holds after its last request, and what the next prompt pays for it: while the
/// cache is warm it reads <see cref="Context"/> tokens; once it has expired it writes them all again.
/// </summary>
/// <param name="LastRequestAt">When the last request was answered.</param>
/// <param name="Ttl">How long the cache lives after it (one hour where the last cache write was one-hour cache).</param>
/// <param name="OneHour">The cache was written with the one-hour lifetime.</param>
/// <param name="Model">The model the cache belongs to.</param>
/// <param name="Context">The last request's context: what the next prompt resends, at least.</param>
/// <param name="Price">The model's prices for that context; null when it has none.</param>
internal sealed record CacheState(DateTimeOffset LastRequestAt, TimeSpan Ttl, bool OneHour, string? Model, long Context, ModelPrice? Price)
{
    /// <summary>When the cache goes cold if nothing uses it.</summary>
    public DateTimeOffset ExpiresAt => LastRequestAt + Ttl;

    /// <summary>True while a prompt sent at <paramref name="now"/> would find the cache warm.</summary>
    public bool IsWarmAt(DateTimeOffset now) => now - LastRequestAt <= Ttl;

    /// <summary>What reading the context from a warm cache costs; null without a price.</summary>
    public double? WarmCostUsd => Price?.Cost(new TokenCounts(0, 0, 0, Context, 0)).Total;

    /// <summary>What writing the context again into a cold cache costs, with the lifetime it had; null without a price.</summary>
    public double? ColdCostUsd => Price?.Cost(Rewrite).Total;

    /// <summary>What a cold cache costs the next prompt beyond a warm one (<see cref="ModelPrice.ColdExtra"/>).</summary>
    public double? ColdExtraCostUsd => Price?.ColdExtra(Rewrite);

    private TokenCounts Rewrite => OneHour ? new TokenCounts(0, 0, Context, 0, 0) : new TokenCounts(0, Context, 0, 0, 0);
}
