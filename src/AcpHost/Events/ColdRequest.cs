namespace AcpHost.Events;

/// <summary>
/// A request that found the prompt cache cold: its cache reads were below <c>UsageRules.ColdReadShare</c> of a
/// context of at least <c>UsageRules.ColdMinContext</c> tokens, and it was not the first of its conversation.
/// </summary>
/// <param name="At">When it was answered.</param>
/// <param name="Reason">One of <c>ColdReasons</c> (the usage model judges it; the fact is told to the outside world as it is).</param>
/// <param name="PreviousAt">When the previous request of the same conversation was answered.</param>
/// <param name="Context">Its context in tokens.</param>
/// <param name="CacheWrite">Tokens it wrote to the cache.</param>
/// <param name="ExtraCostUsd">Its cache writes at their write price minus the read price; null when its model has no price.</param>
/// <param name="CostUsd">What it cost in all; null when its model has no price.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="Sidechain">A subagent's request.</param>
internal sealed record ColdRequest(
    DateTimeOffset At,
    string Reason,
    DateTimeOffset PreviousAt,
    long Context,
    long CacheWrite,
    double? ExtraCostUsd,
    double? CostUsd,
    string? Model,
    bool Sidechain)
{
    /// <summary>Time since the previous request.</summary>
    public TimeSpan Gap => At - PreviousAt;
}
