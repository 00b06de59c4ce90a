namespace AcpHost.Features.PostMortem;

/// <summary>What to scan and what to keep.</summary>
public sealed record ScanOptions
{
    /// <summary>Folders searched recursively for <c>*.jsonl</c> (a file is taken as it is).</summary>
    public required IReadOnlyList<string> Roots { get; init; }

    /// <summary>Only compactions and fill at or after this moment; sessions count when active since.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only projects whose name contains this text (case-insensitive).</summary>
    public string? Project { get; init; }

    /// <summary>
    /// Given the bytes about to be read, returns what is told of each chunk read (from the scanning threads); see
    /// <see cref="ScanProgress"/>.
    /// </summary>
    public Func<long, Action<long>>? Progress { get; init; }

    /// <summary>Files read at once; the processor count by default.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
