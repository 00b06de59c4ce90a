using AcpHost.Events;

namespace AcpHost.PostMortem;

/// <summary>One <c>compact_boundary</c> found in a transcript: what <c>acphost scan</c> lists, one per line.</summary>
/// <param name="Project">The working directory the line records (<c>cwd</c>), else the transcript's project folder name.</param>
/// <param name="SessionId">The session the line names, else the transcript's file name without <c>.jsonl</c>.</param>
/// <param name="At">When it was written, if the line says.</param>
/// <param name="Trigger"><c>auto</c> or <c>manual</c>; null if the line does not say. <c>idle</c> where a host's ledger
/// recorded the boundary as the agent's idle compaction (the transcript says <c>manual</c>).</param>
/// <param name="PreTokens">Tokens of live context flattened.</param>
/// <param name="PostTokens">Tokens left after it.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="BoundaryUuid">The line's uuid: what ties it to a host's compaction ledger.</param>
/// <param name="File">The transcript it was found in.</param>
/// <param name="Flattened">What its summary no longer names; null when the transcript has no summary line for it.</param>
internal sealed record CompactionRow(
    string Project,
    string SessionId,
    DateTimeOffset? At,
    string? Trigger,
    long? PreTokens,
    long? PostTokens,
    long? DurationMs,
    string? BoundaryUuid,
    string File,
    FlattenedSpecifics? Flattened = null);
