using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>One session's usage and compactions while a scan is assembled.</summary>
internal sealed class SessionBuilder(string sessionId, string project)
{
    public string SessionId { get; } = sessionId;

    /// <summary>The project of the first line (or file) that named this session.</summary>
    public string Project { get; } = project;

    /// <summary>Its requests, summed over the files that hold them (its own, its subagents'); null without any line of usage.</summary>
    public SessionUsage? Usage { get; private set; }

    public List<CompactionRow> Rows { get; } = [];

    /// <summary>Something of it is in the <c>--since</c> range.</summary>
    public bool Active => Rows.Count > 0 || Usage?.Totals.Requests > 0;

    /// <summary>Adds what one file counted of this session.</summary>
    public void Add(SessionUsage usage)
    {
        if (Usage is null)
        {
            Usage = usage;
        }
        else
        {
            Usage.Add(usage);
        }
    }

    /// <summary>The session for drawing: the context series in time order, the compactions, cold requests and fork.</summary>
    public SessionFill Build() => new(Project, SessionId, [.. (Usage?.Series ?? []).OrderBy(point => point.At)], [.. Rows.OrderBy(row => row.At)])
    {
        Cold = [.. (Usage?.Cold ?? []).OrderBy(cold => cold.At)],
        CostUsd = Usage?.Totals.CostUsd ?? 0,
        ForkedFrom = Usage?.ForkedFrom,
        ForkPoint = Usage?.ForkPoint,
    };
}
