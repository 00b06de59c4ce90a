using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>What to scan and what to keep.</summary>
internal sealed record ScanOptions
{
    /// <summary>Folders searched recursively for <c>*.jsonl</c> (a file is taken as it is).</summary>
    public required IReadOnlyList<string> Roots { get; init; }

    /// <summary>Only compactions and requests at or after this moment; sessions count when active since.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only projects whose name contains this text (case-insensitive).</summary>
    public string? Project { get; init; }

    /// <summary>Only this session (exact id).</summary>
    public string? SessionId { get; init; }

    /// <summary>Prices and rules the requests are counted with.</summary>
    public UsageSettings Usage { get; init; } = UsageSettings.Default;

    /// <summary>
    /// A host's ledgers, for the compactions it recorded that no transcript line shows (lines lost, transcripts
    /// trimmed): they count toward their session's compactions, and a cold request after one is <c>compacted</c>.
    /// </summary>
    public HostLedgers? Ledgers { get; init; }

    /// <summary>
    /// Keep each session's context per request and cost per day, for drawing (<c>acphost report</c>): memory then grows
    /// with the requests; without it, only with the sessions.
    /// </summary>
    public bool Series { get; init; }

    /// <summary>
    /// Given the bytes about to be read, returns what is told of each chunk read (from the scanning threads); see
    /// <see cref="ScanProgress"/>.
    /// </summary>
    public Func<long, Action<long>>? Progress { get; init; }

    /// <summary>Files read at once; the processor count by default.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
