using AcpHost.Features.Compaction;

namespace AcpHost.Features.Transcripts;

/// <summary>A <c>compact_boundary</c> line of a Claude Code transcript.</summary>
/// <param name="Uuid">The line's uuid: identifies the boundary.</param>
/// <param name="SessionId">The session the line says it belongs to (copied lines of a fork name the parent).</param>
/// <param name="Timestamp">When it was written, if the line says.</param>
/// <param name="Cwd">The working directory the line records, if any.</param>
/// <param name="Facts">Trigger and token counts.</param>
public sealed record TranscriptBoundary(string? Uuid, string? SessionId, DateTimeOffset? Timestamp, string? Cwd, CompactionFacts Facts);
