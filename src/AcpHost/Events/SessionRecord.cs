using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>
/// One session in the lineage ledger: where it came from (its parent, if it is a fork, and why it was forked), where
/// it runs, and its last known context fill. The one type for this fact: the ledger keeps it as it is, the control
/// plane's <c>host/status</c> carries it as it is, and <c>acphost sessions --json</c> is made from it
/// (<c>SessionFieldCoverageTests</c> holds what that leaves out).
/// </summary>
internal sealed record SessionRecord
{
    /// <summary>The agent's session id.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary>For a fork, the session it was forked from; null for a session started afresh.</summary>
    [JsonPropertyName("parentSessionId")]
    public string? ParentSessionId { get; init; }

    /// <summary>
    /// For a fork, who made it: <c>client</c> (the editor asked for <c>session/fork</c>), <c>command</c> (a host
    /// command), <c>pre-compact</c> (the host, before a compaction) or <c>control</c> (the host's control channel);
    /// null for a session that is not a fork, or while unknown.
    /// </summary>
    [JsonPropertyName("forkReason")]
    public string? ForkReason { get; init; }

    /// <summary>For a fork made with <c>/fork note</c>, the note; left out when there is none.</summary>
    [JsonPropertyName("forkNote")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ForkNote { get; init; }

    /// <summary>
    /// For a fork, its parent's tokens of context in use when it was taken (<see cref="UsedTokens"/> follows the fork's
    /// own fill once it is used); left out when unknown.
    /// </summary>
    [JsonPropertyName("forkUsedTokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ForkUsedTokens { get; init; }

    /// <summary>Its working directory; null if unknown.</summary>
    [JsonPropertyName("cwd")]
    public string? Cwd { get; init; }

    /// <summary>When the host first saw it (UTC); null only while unknown.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Tokens of context in use, from its latest <c>usage_update</c>; null if none was seen.</summary>
    [JsonPropertyName("usedTokens")]
    public long? UsedTokens { get; init; }

    /// <summary>Its context window, from its latest <c>usage_update</c>; null if none was seen.</summary>
    [JsonPropertyName("contextWindow")]
    public long? ContextWindow { get; init; }

    /// <summary>
    /// How many compactions the writing host counted. Only what one host saw: the compaction ledger is the ground
    /// truth, and <c>acphost sessions</c> counts from there.
    /// </summary>
    [JsonPropertyName("compactions")]
    public int Compactions { get; init; }

    /// <summary>
    /// Folds <paramref name="later"/>, a later line about the same session, into this one: the latest known fill and
    /// cwd win; the first parent, fork reason, note, fill at fork and creation time stay (a later line only fills them in if unknown);
    /// the compaction count never goes down, as a host that opens the session again starts counting from zero.
    /// </summary>
    public SessionRecord Enrich(SessionRecord later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return this with
        {
            ParentSessionId = ParentSessionId ?? later.ParentSessionId,
            ForkReason = ForkReason ?? later.ForkReason,
            ForkNote = ForkNote ?? later.ForkNote,
            ForkUsedTokens = ForkUsedTokens ?? later.ForkUsedTokens,
            CreatedAt = CreatedAt ?? later.CreatedAt,
            Cwd = later.Cwd ?? Cwd,
            UsedTokens = later.UsedTokens ?? UsedTokens,
            ContextWindow = later.ContextWindow ?? ContextWindow,
            Compactions = Math.Max(Compactions, later.Compactions),
        };
    }
}
