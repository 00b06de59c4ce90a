namespace AcpHost.Events;

/// <summary>
/// What a signal says about a compaction, from the wire (a <c>compaction_update</c>, a tool call) or from a transcript's
/// boundary line alike; any part may be unknown.
/// </summary>
/// <param name="Trigger"><c>auto</c>, <c>manual</c> or <c>idle</c> (see <see cref="CompactionTriggers"/>), normalised.</param>
/// <param name="PreTokens">Tokens before.</param>
/// <param name="PostTokens">Tokens after.</param>
/// <param name="DurationMs">How long it took.</param>
internal sealed record CompactionFacts(string? Trigger, long? PreTokens, long? PostTokens, long? DurationMs)
{
    /// <summary>Nothing known.</summary>
    public static CompactionFacts None { get; } = new(null, null, null, null);

    /// <inheritdoc cref="CompactionTriggers.Normalize"/>
    public static string? NormalizeTrigger(string? trigger) => CompactionTriggers.Normalize(trigger);

    /// <summary>
    /// This, with what it does not know taken from <paramref name="other"/>; of the two triggers <c>idle</c> beats
    /// <c>manual</c> (<see cref="CompactionTriggers.Merge"/>).
    /// </summary>
    public CompactionFacts Or(CompactionFacts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(CompactionTriggers.Merge(Trigger, other.Trigger), PreTokens ?? other.PreTokens, PostTokens ?? other.PostTokens, DurationMs ?? other.DurationMs);
    }
}
