namespace AcpHost.Features.PostMortem;

/// <summary>One session's context fill over time, for drawing, with the compactions that emptied it.</summary>
/// <param name="Project">The session's project (its working directory, else its folder name).</param>
/// <param name="SessionId">The session.</param>
/// <param name="Points">The fill, in time order.</param>
/// <param name="Compactions">Its compactions, in time order.</param>
public sealed record SessionFill(string Project, string SessionId, IReadOnlyList<FillPoint> Points, IReadOnlyList<CompactionRow> Compactions)
{
    /// <summary>The highest fill seen, counting the fill each compaction reported flattening.</summary>
    public long PeakTokens => Math.Max(
        Points.Count == 0 ? 0 : Points.Max(point => point.Tokens),
        Compactions.Count == 0 ? 0 : Compactions.Max(row => row.PreTokens ?? 0));
}
