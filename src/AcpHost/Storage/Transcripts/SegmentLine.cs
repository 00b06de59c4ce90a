namespace AcpHost.Storage.Transcripts;

/// <summary>What <see cref="SegmentLineParser"/> read of one transcript line: only what the segment analysis uses.</summary>
internal sealed class SegmentLine
{
    /// <summary>The line's <c>type</c>: <c>assistant</c>, <c>user</c>, <c>attachment</c>, ….</summary>
    public string? Type { get; set; }

    public string? Uuid { get; set; }

    /// <summary>A subagent's line (<c>isSidechain</c>): not the session's own context.</summary>
    public bool Sidechain { get; set; }

    /// <summary>The user line that carries the compaction's summary (<c>isCompactSummary</c>).</summary>
    public bool CompactSummary { get; set; }

    /// <summary>The <c>tool_use</c> blocks of the message, in order.</summary>
    public List<ToolUse> ToolUses { get; } = [];

    /// <summary>The <c>tool_use_id</c> of each <c>tool_result</c> block marked <c>is_error: true</c>.</summary>
    public List<string> ErrorIds { get; } = [];

    /// <summary>The message's text (a string content, or its text blocks joined), when asked for.</summary>
    public string? Text { get; set; }

    /// <summary>An attachment line's <c>attachment.type</c> (<c>file</c>, <c>compact_file_reference</c>, …).</summary>
    public string? AttachmentType { get; set; }

    /// <summary>An attachment line's <c>attachment.filename</c>.</summary>
    public string? AttachmentFile { get; set; }
}
