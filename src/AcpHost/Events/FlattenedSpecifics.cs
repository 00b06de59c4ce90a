using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>
/// What a compaction flattened that its summary no longer names: the files, commands, URLs and failed tools of the
/// turns it replaced, each kind counted (seen, dropped) with the dropped ones listed, most used first. Part of the
/// compaction's ledger record (<see cref="CompactionRecord.Flattened"/>); every other shape of it (the notice line,
/// <c>/compactions</c>, the CLI's JSON, telemetry's counts, the report) is made from this record beside it. How the
/// specifics are found and matched is <c>Storage/Transcripts/SegmentReader</c>'s; it is a heuristic (docs/flattened.md).
/// </summary>
public sealed partial record FlattenedSpecifics
{
    /// <summary><see cref="Summary"/>: the model's text was found after the agent's <c>Summary:</c> marker.</summary>
    public const string Marked = "marked";

    /// <summary><see cref="Summary"/>: no marker; the text is the summary line without the agent's known wrapper.</summary>
    public const string Unmarked = "unmarked";

    /// <summary>Files read, edited or written (tool inputs <c>file_path</c>, <c>notebook_path</c>, <c>path</c>).</summary>
    [JsonPropertyName("files")]
    public required FlattenedKind Files { get; init; }

    /// <summary>Commands run (<c>Bash</c>'s <c>command</c>).</summary>
    [JsonPropertyName("commands")]
    public required FlattenedKind Commands { get; init; }

    /// <summary>URLs fetched (tool input <c>url</c>).</summary>
    [JsonPropertyName("urls")]
    public required FlattenedKind Urls { get; init; }

    /// <summary>Tools whose results were errors the model then acted on, by tool name (uses: failed calls).</summary>
    [JsonPropertyName("toolErrors")]
    public required FlattenedKind ToolErrors { get; init; }

    /// <summary>How the summary's text was told from the agent's wrapper: <see cref="Marked"/> or <see cref="Unmarked"/>.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>The transcript the replaced turns are in, when known.</summary>
    [JsonPropertyName("transcript")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Transcript { get; init; }

    /// <summary>The first line (from 1) of the replaced turns in <see cref="Transcript"/>.</summary>
    [JsonPropertyName("fromLine")]
    public required long FromLine { get; init; }

    /// <summary>Their last line: the one before the compaction's boundary line.</summary>
    [JsonPropertyName("toLine")]
    public required long ToLine { get; init; }

    /// <summary>Each kind with its name in the JSON, in a fixed order.</summary>
    [JsonIgnore]
    public IEnumerable<(string Name, FlattenedKind Kind)> Kinds => [("files", Files), ("commands", Commands), ("urls", Urls), ("toolErrors", ToolErrors)];

    /// <summary>Specifics of every kind the replaced turns used.</summary>
    [JsonIgnore]
    public int Seen => Files.Seen + Commands.Seen + Urls.Seen + ToolErrors.Seen;

    /// <summary>Specifics of every kind the summary no longer names.</summary>
    [JsonIgnore]
    public int Dropped => Files.Dropped + Commands.Dropped + Urls.Dropped + ToolErrors.Dropped;
}
