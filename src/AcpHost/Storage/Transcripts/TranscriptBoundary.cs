using AcpHost.Events;

namespace AcpHost.Storage.Transcripts;

/// <summary>A <c>compact_boundary</c> line of a Claude Code transcript.</summary>
/// <param name="Uuid">The line's uuid: identifies the boundary.</param>
/// <param name="SessionId">The session the line says it belongs to (copied lines of a fork name the parent).</param>
/// <param name="Timestamp">When it was written, if the line says.</param>
/// <param name="Cwd">The working directory the line records, if any.</param>
/// <param name="Facts">Trigger and token counts.</param>
internal sealed record TranscriptBoundary(string? Uuid, string? SessionId, DateTimeOffset? Timestamp, string? Cwd, CompactionFacts Facts)
{
    /// <summary>
    /// For a line a fork copied from its parent's history, the line it copies (its <c>forkedFrom</c>: the parent's
    /// session and that line's uuid). Such a copy is lineage, not a compaction: the compaction happened in the parent.
    /// Newer agents give the copy a uuid of its own, so only this tells it apart.
    /// </summary>
    public (string? SessionId, string MessageUuid)? ForkedFrom { get; init; }

    /// <summary>
    /// The messages from before the boundary that the agent keeps verbatim after its summary
    /// (<c>compactMetadata.preservedMessages</c>, agent 0.101.0): what they name is still in the context. Empty when the
    /// line lists none.
    /// </summary>
    public IReadOnlySet<string> PreservedUuids { get; init; } = EmptyUuids;

    /// <summary>What its summary no longer names (<see cref="SegmentReader"/>), once a scan has read its summary line.</summary>
    public FlattenedSpecifics? Flattened { get; init; }

    private static readonly IReadOnlySet<string> EmptyUuids = new HashSet<string>(StringComparer.Ordinal);
}
