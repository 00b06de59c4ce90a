namespace AcpHost.Events;

/// <summary>The signals a compaction can be learned from, as the ledger's and the events' <c>source</c> names them.</summary>
public static class CompactionSources
{
    /// <summary>The agent's synthetic <c>compact</c> tool call (clients without compaction support).</summary>
    public const string ToolCall = "tool_call";

    /// <summary>ACP's <c>compaction_update</c> (clients declaring <c>session.compaction</c>); carries no token counts.</summary>
    public const string CompactionUpdate = "compaction_update";

    /// <summary><c>_meta.jetbrains.air.contextCompaction</c> on either of the above.</summary>
    public const string JetBrainsMeta = "jetbrains_meta";

    /// <summary>A non-standard <c>session/update</c> with <c>sessionUpdate: "compact_boundary"</c> from patched agents.</summary>
    public const string CompactBoundaryUpdate = "compact_boundary_update";

    /// <summary>The session's transcript file: the ground truth, read after the wire.</summary>
    public const string Transcript = "transcript";
}
