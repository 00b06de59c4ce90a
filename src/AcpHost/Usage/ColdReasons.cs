namespace AcpHost.Usage;

/// <summary>Why a request found the prompt cache cold, as <c>acphost usage</c> names it.</summary>
internal static class ColdReasons
{
    /// <summary>More than the cache's lifetime passed since the previous request.</summary>
    public const string Expired = "expired";

    /// <summary>A compaction came between the previous request and this one: the context was rewritten.</summary>
    public const string Compacted = "compacted";

    /// <summary>The model changed: each model has its own cache.</summary>
    public const string Model = "model";

    /// <summary>None of the above (the system prompt or the tools changed, the cache was evicted early, ...).</summary>
    public const string Unknown = "unknown";

    /// <summary>Every reason, in the order they are tried.</summary>
    public static readonly IReadOnlyList<string> All = [Expired, Compacted, Model, Unknown];
}
