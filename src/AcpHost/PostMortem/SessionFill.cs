using AcpHost.Usage;
using AcpHost.Events;

namespace AcpHost.PostMortem;

/// <summary>One session's context over time, for drawing, with the compactions that emptied it.</summary>
/// <param name="Project">The session's project (its working directory, else its folder name).</param>
/// <param name="SessionId">The session.</param>
/// <param name="Points">The context of each request of its main conversation, in time order (kept for a report only).</param>
/// <param name="Compactions">Its compactions, in time order.</param>
internal sealed record SessionFill(string Project, string SessionId, IReadOnlyList<FillPoint> Points, IReadOnlyList<CompactionRow> Compactions)
{
    /// <summary>Its cold requests, in time order.</summary>
    public IReadOnlyList<ColdRequest> Cold { get; init; } = [];

    /// <summary>What its priced requests cost.</summary>
    public double CostUsd { get; init; }

    /// <summary>The session it was forked from, if its transcript says.</summary>
    public string? ForkedFrom { get; init; }

    /// <summary>Where in that session it was forked (the time of the last request it copied).</summary>
    public DateTimeOffset? ForkPoint { get; init; }

    /// <summary>The highest fill seen, counting the fill each compaction reported flattening.</summary>
    public long PeakTokens => Math.Max(
        Points.Count == 0 ? 0 : Points.Max(point => point.Tokens),
        Compactions.Count == 0 ? 0 : Compactions.Max(row => row.PreTokens ?? 0));
}
