namespace AcpHost.Usage;

/// <summary>What tokens cost, in USD, by kind; <see cref="ColdCacheWrite"/> is the part of <see cref="CacheWrite"/> that cold requests paid.</summary>
internal readonly record struct CostByKind(double Input, double CacheWrite, double CacheRead, double Output, double ColdCacheWrite = 0)
{
    /// <summary>All of it (the cold part is inside <see cref="CacheWrite"/>).</summary>
    public double Total => Input + CacheWrite + CacheRead + Output;

    /// <summary>The kind-by-kind sum.</summary>
    public CostByKind Plus(CostByKind other) => new(
        Input + other.Input, CacheWrite + other.CacheWrite, CacheRead + other.CacheRead, Output + other.Output, ColdCacheWrite + other.ColdCacheWrite);
}
