namespace AcpHost.Storage.Transcripts;

/// <summary>
/// What <see cref="SegmentLineParser"/> read of one transcript line: only what the segment analysis uses. One instance
/// serves every line of a reader (<see cref="Reset"/>), with its <see cref="ToolUse"/>s, so lines cost no allocation
/// beyond the strings they name.
/// </summary>
internal sealed class SegmentLine
{
    private readonly List<ToolUse> _spare = [];
    private readonly string?[] _names = new string?[16];
    private int _nextName;

    /// <summary>The line's <c>type</c> is <c>assistant</c>.</summary>
    public bool Assistant { get; set; }

    /// <summary>The line's <c>type</c> is <c>user</c>.</summary>
    public bool User { get; set; }

    /// <summary>The line's <c>type</c> is <c>attachment</c>.</summary>
    public bool Attachment { get; set; }

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

    /// <summary>The attachment is a file the agent attached whole (<c>attachment.type</c> <c>file</c>).</summary>
    public bool FileAttachment { get; set; }

    /// <summary>An attachment line's <c>attachment.filename</c>.</summary>
    public string? AttachmentFile { get; set; }

    /// <summary>Empties it for the next line.</summary>
    public void Reset()
    {
        Assistant = User = Attachment = Sidechain = CompactSummary = FileAttachment = false;
        Uuid = Text = AttachmentFile = null;
        ClearContent();
    }

    /// <summary>Forgets the message's content (a repeated <c>content</c> key replaces the earlier one).</summary>
    public void ClearContent()
    {
        _spare.AddRange(ToolUses);
        ToolUses.Clear();
        ErrorIds.Clear();
        Text = null;
    }

    /// <summary>Takes back a tool use that was not one after all.</summary>
    public void Spare(ToolUse use) => _spare.Add(use);

    /// <summary>A tool use to fill, from the spare ones.</summary>
    public ToolUse NewToolUse()
    {
        ToolUse use = _spare.Count > 0 ? _spare[^1] : new ToolUse();
        if (_spare.Count > 0)
        {
            _spare.RemoveAt(_spare.Count - 1);
        }

        use.Reset();
        return use;
    }

    /// <summary>The tool names seen last: a name is one string however many lines repeat it (a few tools make most calls).</summary>
    public ReadOnlySpan<string?> Names => _names;

    /// <summary>Keeps <paramref name="name"/> among <see cref="Names"/>, in place of the oldest.</summary>
    public string Remember(string name)
    {
        _names[_nextName] = name;
        _nextName = (_nextName + 1) % _names.Length;
        return name;
    }
}
