using AcpHost.Storage.Transcripts;
using AcpHost.Events;

namespace AcpHost.Usage;

/// <summary>
/// What requests add up to: for a session, a project, or everything. Filled one request at a time and summed with
/// <see cref="Add(UsageTotals)"/>; memory does not grow with the requests (see <see cref="ContextMedian"/>).
/// Costs leave out the requests of unpriced models (<see cref="UnpricedModels"/>).
/// </summary>
internal sealed class UsageTotals
{
    private readonly ContextMedian _contexts = new();
    private readonly SortedSet<string> _unpriced = new(StringComparer.Ordinal);

    /// <summary>Model requests, each response counted once, subagents' included.</summary>
    public long Requests { get; private set; }

    /// <summary>Of which made by subagents.</summary>
    public long SidechainRequests { get; private set; }

    /// <summary>Tokens by kind.</summary>
    public TokenCounts Tokens { get; private set; }

    /// <summary>The largest context of a request.</summary>
    public long PeakContext { get; private set; }

    /// <summary>The median context of a request (see <see cref="ContextMedian"/> for its precision); null without requests.</summary>
    public long? MedianContext => _contexts.Median();

    /// <summary>Requests whose context was above <see cref="UsageRules.LargeContext"/>.</summary>
    public long RequestsOver160k { get; private set; }

    /// <summary>Requests whose context was above <see cref="UsageRules.HugeContext"/>.</summary>
    public long RequestsOver500k { get; private set; }

    /// <summary>What the requests above <see cref="UsageRules.LargeContext"/> cost.</summary>
    public double CostOver160kUsd { get; private set; }

    /// <summary>What the requests above <see cref="UsageRules.HugeContext"/> cost.</summary>
    public double CostOver500kUsd { get; private set; }

    /// <summary>What the priced requests cost, by kind (the cold requests' cache writes marked).</summary>
    public CostByKind Cost { get; private set; }

    /// <summary>What the priced requests cost.</summary>
    public double CostUsd => Cost.Total;

    /// <summary>Requests that found the cache cold.</summary>
    public long ColdRequests { get; private set; }

    /// <summary>What the cold requests cost in all.</summary>
    public double ColdCostUsd { get; private set; }

    /// <summary>What the cold requests cost beyond the same requests served from a warm cache.</summary>
    public double ColdExtraCostUsd { get; private set; }

    /// <summary>Compactions.</summary>
    public long Compactions { get; set; }

    /// <summary>Models that answered requests but have no price: their requests are counted, their cost is not.</summary>
    public IReadOnlyCollection<string> UnpricedModels => _unpriced;

    /// <summary>Counts one request; <paramref name="cost"/> is null when its model has no price.</summary>
    public void Count(TokenCounts tokens, bool sidechain, string? model, CostByKind? cost)
    {
        Requests++;
        SidechainRequests += sidechain ? 1 : 0;
        long context = tokens.Context;
        _contexts.Add(context);
        PeakContext = Math.Max(PeakContext, context);
        RequestsOver160k += context > UsageRules.LargeContext ? 1 : 0;
        RequestsOver500k += context > UsageRules.HugeContext ? 1 : 0;
        Grow(tokens, context, model, cost);
    }

    /// <summary>
    /// Adds what a later line of an already counted response reported beyond its first (the output of a response
    /// written block by block grows); <paramref name="context"/> is the response's.
    /// </summary>
    public void Grow(TokenCounts more, long context, string? model, CostByKind? cost)
    {
        Tokens = Tokens.Plus(more);
        if (cost is not { } priced)
        {
            _unpriced.Add(model ?? "(no model)");
            return;
        }

        Cost = Cost.Plus(priced);
        CostOver160kUsd += context > UsageRules.LargeContext ? priced.Total : 0;
        CostOver500kUsd += context > UsageRules.HugeContext ? priced.Total : 0;
    }

    /// <summary>Counts a cold request (already counted with <see cref="Count"/>).</summary>
    public void Cold(ColdRequest cold)
    {
        ArgumentNullException.ThrowIfNull(cold);
        ColdRequests++;
        ColdCostUsd += cold.CostUsd ?? 0;
        ColdExtraCostUsd += cold.ExtraCostUsd ?? 0;
    }

    /// <summary>Adds everything <paramref name="other"/> counted.</summary>
    public void Add(UsageTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Requests += other.Requests;
        SidechainRequests += other.SidechainRequests;
        Tokens = Tokens.Plus(other.Tokens);
        PeakContext = Math.Max(PeakContext, other.PeakContext);
        _contexts.Add(other._contexts);
        RequestsOver160k += other.RequestsOver160k;
        RequestsOver500k += other.RequestsOver500k;
        CostOver160kUsd += other.CostOver160kUsd;
        CostOver500kUsd += other.CostOver500kUsd;
        Cost = Cost.Plus(other.Cost);
        ColdRequests += other.ColdRequests;
        ColdCostUsd += other.ColdCostUsd;
        ColdExtraCostUsd += other.ColdExtraCostUsd;
        Compactions += other.Compactions;
        _unpriced.UnionWith(other._unpriced);
    }
}
