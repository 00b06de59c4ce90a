namespace AcpHost.PostMortem;

/// <summary>What a scan of transcripts found, filtered as <see cref="ScanOptions"/> asked.</summary>
internal sealed record ScanResult
{
    /// <summary>Every compaction, by time (unknown times last), then project and session.</summary>
    public required IReadOnlyList<CompactionRow> Rows { get; init; }

    /// <summary>One line per project, most tokens flattened first.</summary>
    public required IReadOnlyList<ProjectSummary> Summary { get; init; }

    /// <summary>Every session with a compaction or a fork's copy of its parent, or (with <see cref="ScanOptions.Series"/>) a request.</summary>
    public required IReadOnlyList<SessionFill> Sessions { get; init; }

    /// <summary>What the requests cost, per session, per project and in total.</summary>
    public required UsageResult Usage { get; init; }

    /// <summary>Transcripts read.</summary>
    public required int Files { get; init; }

    /// <summary>Bytes read.</summary>
    public required long Bytes { get; init; }

    /// <summary>Lines that had a marker but were not valid JSON, torn last lines, and lines past the length limit: skipped.</summary>
    public required long MalformedLines { get; init; }

    /// <summary>Files and folders that could not be read.</summary>
    public required IReadOnlyList<UnreadableFile> Unreadable { get; init; }

    /// <summary>How long the scan took.</summary>
    public required TimeSpan Elapsed { get; init; }
}
