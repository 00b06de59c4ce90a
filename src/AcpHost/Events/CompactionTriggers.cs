namespace AcpHost.Events;

/// <summary>
/// The ledger's triggers, and how two reports of one compaction's trigger combine. Claude Code's transcript knows only
/// <c>auto</c> and <c>manual</c>: the agent's own idle compaction is a <c>/compact</c> it sent itself, so the transcript
/// says <c>manual</c> where the wire (agent 0.101.0 and later) says <c>idle</c>. <c>idle</c> is the finer word for the
/// same boundary and always wins over <c>manual</c>.
/// </summary>
internal static class CompactionTriggers
{
    /// <summary>Claude Code compacted on its own, the context being near full.</summary>
    public const string Auto = "auto";

    /// <summary>Someone sent <c>/compact</c>.</summary>
    public const string Manual = "manual";

    /// <summary>The agent compacted an idle session itself, before its prompt cache expired.</summary>
    public const string Idle = "idle";

    /// <summary>Normalises a trigger: the wire says <c>automatic</c>, transcripts say <c>auto</c>; unknown words pass through.</summary>
    public static string? Normalize(string? trigger) => trigger?.Trim().ToLowerInvariant() switch
    {
        "auto" or "automatic" => Auto,
        "manual" => Manual,
        "idle" => Idle,
        null or "" => null,
        var other => other,
    };

    /// <summary>
    /// One trigger from two reports of the same compaction: <paramref name="first"/> unless it is unknown, except that
    /// <c>idle</c> is kept over <c>manual</c> whichever came first.
    /// </summary>
    public static string? Merge(string? first, string? second) => (first, second) switch
    {
        (Manual, Idle) => Idle,
        _ => first ?? second,
    };

    /// <summary>True when two reports may be of the same compaction: one unknown, equal, or <c>manual</c> beside <c>idle</c>.</summary>
    public static bool Compatible(string? a, string? b) =>
        a is null || b is null || a == b || (a, b) is (Manual, Idle) or (Idle, Manual);
}
