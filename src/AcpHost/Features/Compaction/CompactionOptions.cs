namespace AcpHost.Features.Compaction;

/// <summary>How compactions are followed. Bound from the <c>Compaction</c> configuration section.</summary>
internal sealed class CompactionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Compaction";

    /// <summary>
    /// Claude Code's config folder, where transcripts live. Default: <c>$CLAUDE_CONFIG_DIR</c> as the host (and so the
    /// agent) sees it, else <c>~/.claude</c>.
    /// </summary>
    public string? ClaudeConfigDir { get; set; }

    /// <summary>
    /// How long a compaction reported without token counts (ACP's <c>compaction_update</c>) waits for its transcript
    /// line before it is recorded with what is known. Default 10 s.
    /// </summary>
    public TimeSpan TranscriptWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often transcripts are looked at while a compaction waits for them. Default 250 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
