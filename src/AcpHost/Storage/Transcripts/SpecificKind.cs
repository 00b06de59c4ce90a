namespace AcpHost.Storage.Transcripts;

/// <summary>The kinds of specifics a compaction can flatten, in the order every shape lists them.</summary>
internal enum SpecificKind
{
    /// <summary>A file or folder a tool was given (<c>file_path</c>, <c>notebook_path</c>, <c>path</c>).</summary>
    File,

    /// <summary>A command line (<c>Bash</c>'s or <c>PowerShell</c>'s <c>command</c>).</summary>
    Command,

    /// <summary>A URL a tool was given (<c>url</c>).</summary>
    Url,

    /// <summary>A tool whose result was an error the model then acted on.</summary>
    ToolError,
}
