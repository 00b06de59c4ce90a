namespace AcpHost.Features.PostMortem;

/// <summary>One session's fill and compactions while a scan is assembled.</summary>
internal sealed class SessionBuilder(string sessionId, string project)
{
    public string SessionId { get; } = sessionId;

    /// <summary>The project of the first line (or file) that named this session.</summary>
    public string Project { get; } = project;

    public List<FillPoint> Points { get; } = [];

    public List<CompactionRow> Rows { get; } = [];

    /// <summary>Something of it is in the <c>--since</c> range.</summary>
    public bool Active { get; set; }

    /// <summary>The series, in time order; an assistant message split over several lines repeats its usage once per line.</summary>
    public SessionFill Build()
    {
        var points = new List<FillPoint>(Points.Count);
        foreach (FillPoint point in Points.OrderBy(point => point.At))
        {
            if (points.Count == 0 || points[^1] != point)
            {
                points.Add(point);
            }
        }

        return new SessionFill(Project, SessionId, points, [.. Rows.OrderBy(row => row.At)]);
    }
}
