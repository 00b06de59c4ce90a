using AcpHost.Storage.Transcripts;


namespace AcpHost.Features.PostMortem;

/// <summary>What one transcript held: filled by one thread, read once every file is done.</summary>
internal sealed class FileFindings
{
    public FileFindings(string path, string root)
    {
        Path = path;
        Root = root;
    }

    /// <summary>The transcript.</summary>
    public string Path { get; }

    /// <summary>The folder it was found under.</summary>
    public string Root { get; }

    public long Bytes { get; set; }

    public long MalformedLines { get; set; }

    /// <summary>Why the file could not be read; null when it was.</summary>
    public string? Error { get; set; }

    public List<TranscriptBoundary> Boundaries { get; } = [];

    public List<UsageLine> Usage { get; } = [];

    /// <summary>The first working directory a parsed line recorded.</summary>
    public string? FirstCwd { get; set; }

    /// <summary>The first session id a parsed line named.</summary>
    public string? FirstSessionId { get; set; }
}
