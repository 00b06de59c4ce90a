namespace AcpHost.Features.Compaction;

/// <summary>What a signal says about a compaction; any part may be unknown.</summary>
/// <param name="Trigger"><c>auto</c> or <c>manual</c>, normalised.</param>
/// <param name="PreTokens">Tokens before.</param>
/// <param name="PostTokens">Tokens after.</param>
/// <param name="DurationMs">How long it took.</param>
public sealed record CompactionFacts(string? Trigger, long? PreTokens, long? PostTokens, long? DurationMs)
{
    /// <summary>Nothing known.</summary>
    public static CompactionFacts None { get; } = new(null, null, null, null);

    /// <summary>Normalises a trigger: the wire says <c>automatic</c>, transcripts say <c>auto</c>.</summary>
    public static string? NormalizeTrigger(string? trigger) => trigger?.Trim().ToLowerInvariant() switch
    {
        "auto" or "automatic" => "auto",
        "manual" => "manual",
        null or "" => null,
        var other => other,
    };

    /// <summary>This, with what it does not know taken from <paramref name="other"/>.</summary>
    public CompactionFacts Or(CompactionFacts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Trigger ?? other.Trigger, PreTokens ?? other.PreTokens, PostTokens ?? other.PostTokens, DurationMs ?? other.DurationMs);
    }
}
