using AcpHost.Storage.Ledgers;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Judges each specific of a segment against the summary that replaced it. Kept (not listed as dropped) when:
/// <list type="bullet">
/// <item>a file: the summary names its path, or a trailing part of it (its file name, <c>src/a.cs</c>) that no other
/// file of the segment ends with; or the agent re-attached it after the summary; or a message it was used in is one
/// the agent kept verbatim;</item>
/// <item>a command: the summary has its first two words (<see cref="SummaryWords.HasCommand"/>), or its message was kept;</item>
/// <item>a URL: the summary has it, scheme and trailing slash aside, or its message was kept;</item>
/// <item>a failed tool: the summary names the tool (a word of its own, same case) or what a failed call worked on (by
/// the rules above), or the failed result's message was kept.</item>
/// </list>
/// </summary>
internal sealed class SegmentVerdict
{
    private readonly SegmentTallies _tallies;
    private readonly SummaryWords _summary;
    private readonly IReadOnlySet<string> _reattached;
    private readonly IReadOnlySet<string> _preserved;
    private readonly Dictionary<string, int> _fileParts = new(StringComparer.Ordinal);

    private SegmentVerdict(SegmentTallies tallies, SummaryWords summary, IReadOnlySet<string> reattached, IReadOnlySet<string> preserved)
    {
        _tallies = tallies;
        _summary = summary;
        _reattached = reattached;
        _preserved = preserved;
        foreach ((string file, _) in tallies[SpecificKind.File].All)
        {
            foreach (string part in SummaryWords.TrailingParts(file))
            {
                _fileParts[part] = _fileParts.GetValueOrDefault(part) + 1;
            }
        }
    }

    /// <summary>What the summary no longer names of the segment's specifics.</summary>
    /// <param name="tallies">The segment's specifics.</param>
    /// <param name="summary">The model's text (<see cref="SummaryText.Extract"/>).</param>
    /// <param name="marked">Whether the agent marked where the model's text starts.</param>
    /// <param name="reattached">The files the agent re-attached right after the summary.</param>
    /// <param name="preserved">The uuids of the messages the agent kept verbatim.</param>
    /// <param name="where">The transcript and the segment's first and last line.</param>
    public static FlattenedSpecifics Judge(
        SegmentTallies tallies, string summary, bool marked, IReadOnlySet<string> reattached, IReadOnlySet<string> preserved, (string? Transcript, long From, long To) where)
    {
        var verdict = new SegmentVerdict(tallies, new SummaryWords(summary), reattached, preserved);
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
        List<(string Value, SpecificTally.Use Use)> dropped = [.. tally.All.Where(u => !Kept(kind, u.Value, u.Use))];
        return new FlattenedKind
        {
            Seen = tally.Count,
            Dropped = dropped.Count,
            Items = [.. dropped.OrderByDescending(d => d.Use.Count).ThenBy(d => d.Use.Order).Take(FlattenedKind.MaxListed)
                .Select(d => new FlattenedItem { Name = d.Value, Uses = d.Use.Count })],
            Capped = tally.Capped,
        };
    }

    private bool Kept(SpecificKind kind, string value, SpecificTally.Use use) =>
        (use.LastUuid is { } uuid && _preserved.Contains(uuid))
        || (kind == SpecificKind.ToolError
            ? _summary.HasWord(value) || (use.Targets?.Exists(Named) ?? false)
            : Named(new Specific(kind, value)));

    private bool Named(Specific specific) => specific.Kind switch
    {
        SpecificKind.File => _reattached.Contains(specific.Value)
            || SummaryWords.TrailingParts(specific.Value).Any(part => _fileParts.GetValueOrDefault(part) <= 1 && _summary.HasPathPart(part)),
        SpecificKind.Command => _summary.HasCommand(specific.Value),
        SpecificKind.Url => _summary.HasUrl(specific.Value),
        _ => false,
    };
}
