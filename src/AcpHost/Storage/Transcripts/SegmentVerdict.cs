using AcpHost.Events;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Judges each specific of a segment against the summary that replaced it (how words are matched:
/// <see cref="SummaryNames"/>). Kept (not listed as dropped) when:
/// <list type="bullet">
/// <item>a file: the summary names its path, or a trailing part of it (its file name, <c>src/a.cs</c>) that no other
/// file of the segment ends with; or the agent re-attached it after the summary;</item>
/// <item>a command: the summary has its first two words;</item>
/// <item>a URL: the summary has it, scheme and trailing slash aside;</item>
/// <item>a failed tool: the summary names the tool, or what a failed call of it worked on (by the rules above);</item>
/// <item>any of them: a message it was used in is one the agent kept verbatim after the summary.</item>
/// </list>
/// Plain loops over reference types: a scan judges a thousand compactions, and generic code over value types would be
/// compiled at run time where the rest is precompiled.
/// </summary>
internal sealed class SegmentVerdict
{
    private readonly SegmentTallies _tallies;
    private readonly SummaryNames _names;
    private readonly IReadOnlySet<string> _reattached;
    private readonly IReadOnlySet<string> _preserved;

    private SegmentVerdict(SegmentTallies tallies, SummaryNames names, IReadOnlySet<string> reattached, IReadOnlySet<string> preserved)
    {
        _tallies = tallies;
        _names = names;
        _reattached = reattached;
        _preserved = preserved;
    }

    /// <summary>What the summary no longer names of the segment's specifics.</summary>
    /// <param name="tallies">The segment's specifics.</param>
    /// <param name="summary">The model's text (<see cref="SummaryText.Extract"/>).</param>
    /// <param name="marked">Whether the agent marked where the model's text starts.</param>
    /// <param name="reattached">The files the agent re-attached right after the summary.</param>
    /// <param name="preserved">The uuids of the messages the agent kept verbatim.</param>
    /// <param name="where">The transcript and the segment's first and last line.</param>
    public static FlattenedSpecifics Judge(
        SegmentTallies tallies, ReadOnlyMemory<char> summary, bool marked, IReadOnlySet<string> reattached, IReadOnlySet<string> preserved, (string? Transcript, long From, long To) where)
    {
        var verdict = new SegmentVerdict(tallies, new SummaryNames(summary, tallies[SpecificKind.File].All), reattached, preserved);
        return new FlattenedSpecifics
        {
            Files = verdict.Kind(SpecificKind.File),
            Commands = verdict.Kind(SpecificKind.Command),
            Urls = verdict.Kind(SpecificKind.Url),
            ToolErrors = verdict.Kind(SpecificKind.ToolError),
            Summary = marked ? FlattenedSpecifics.Marked : FlattenedSpecifics.Unmarked,
            Transcript = where.Transcript,
            FromLine = where.From,
            ToLine = where.To,
        };
    }

    private FlattenedKind Kind(SpecificKind kind)
    {
        SpecificTally tally = _tallies[kind];
        var dropped = new List<SpecificTally.Use>();
        foreach (SpecificTally.Use use in tally.All)
        {
            if (!Kept(kind, use))
            {
                dropped.Add(use);
            }
        }

        // Most used first, then in the order first used.
        dropped.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : a.Order.CompareTo(b.Order));
        var items = new List<FlattenedItem>(Math.Min(dropped.Count, FlattenedKind.MaxListed));
        for (int i = 0; i < items.Capacity; i++)
        {
            items.Add(new FlattenedItem { Name = dropped[i].Value, Uses = dropped[i].Count });
        }

        return new FlattenedKind { Seen = tally.All.Count, Dropped = dropped.Count, Items = items, Capped = tally.Capped };
    }

    private bool Kept(SpecificKind kind, SpecificTally.Use use)
    {
        if (use.LastUuid is { } uuid && _preserved.Contains(uuid))
        {
            return true;
        }

        if (kind != SpecificKind.ToolError)
        {
            return Named(kind, use.Value);
        }

        if (_names.HasWord(use.Value))
        {
            return true;
        }

        foreach (Specific target in use.Targets ?? [])
        {
            if (Named(target.Kind, target.Value))
            {
                return true;
            }
        }

        return false;
    }

    private bool Named(SpecificKind kind, string value) => kind switch
    {
        SpecificKind.File => _reattached.Contains(value) || _names.HasFile(value),
        SpecificKind.Command => _names.HasCommand(value),
        SpecificKind.Url => _names.HasUrl(value),
        _ => false,
    };
}
