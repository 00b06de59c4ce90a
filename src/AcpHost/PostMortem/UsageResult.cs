using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>What the scanned requests cost, per session, per project and in total, as <c>acphost usage</c> shows it.</summary>
internal sealed record UsageResult
{
    /// <summary>Sessions with a request or a compaction, costliest first.</summary>
    public required IReadOnlyList<UsageSummary> Sessions { get; init; }

    /// <summary>Projects, costliest first.</summary>
    public required IReadOnlyList<UsageSummary> Projects { get; init; }

    /// <summary>Everything.</summary>
    public required UsageSummary Total { get; init; }

    /// <summary>Cost per UTC day, by kind, in day order (with <see cref="ScanOptions.Series"/> only).</summary>
    public required IReadOnlyList<(DateOnly Day, CostByKind Cost)> Days { get; init; }
}
