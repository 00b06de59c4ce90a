using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>
/// One compaction of one session: how much live context (<see cref="PreTokens"/>) Claude Code flattened into a
/// summary, how it was learned, and what the summary no longer names. The one type for this fact: the ledger keeps it
/// as it is (these JSON names), the event <see cref="CompactionRecorded"/> carries it, and every wire shape of a
/// compaction is made from it beside its own definition (<c>CompactionFieldCoverageTests</c> fails when a field here
/// is missing from one of them and not on its written list of exclusions).
/// </summary>
public sealed record CompactionRecord
{
    /// <summary>The host's own id for this compaction (<c>cmp-</c> and a time-ordered GUID).</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The compacted session.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary>
    /// <c>auto</c>, <c>manual</c> or <c>idle</c> (the agent compacted an idle session itself); the wire's
    /// <c>automatic</c> is normalised. Null only while unknown. See <see cref="CompactionTriggers"/>.
    /// </summary>
    [JsonPropertyName("trigger")]
    public string? Trigger { get; init; }

    /// <summary>Tokens of live context before the compaction; null when no signal carried it.</summary>
    [JsonPropertyName("preTokens")]
    public long? PreTokens { get; init; }

    /// <summary>Tokens after it; null if unknown.</summary>
    [JsonPropertyName("postTokens")]
    public long? PostTokens { get; init; }

    /// <summary>How long it took; null if unknown.</summary>
    [JsonPropertyName("durationMs")]
    public long? DurationMs { get; init; }

    /// <summary>The context window (the <c>size</c> of the session's latest <c>usage_update</c>); null if none was seen.</summary>
    [JsonPropertyName("contextWindow")]
    public long? ContextWindow { get; init; }

    /// <summary>When the host first learned of it (UTC).</summary>
    [JsonPropertyName("at")]
    public required DateTimeOffset At { get; init; }

    /// <summary>Which signal reported it first; see <see cref="CompactionSources"/>.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>The transcript's <c>compact_boundary</c> line uuid, once known: what ties the record to the transcript.</summary>
    [JsonPropertyName("boundaryUuid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BoundaryUuid { get; init; }

    /// <summary>
    /// What the summary no longer names of the turns the compaction replaced; null until the summary line was read
    /// (a later line of the ledger adds it under the same id).
    /// </summary>
    [JsonPropertyName("flattened")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FlattenedSpecifics? Flattened { get; init; }

    /// <summary>
    /// Fills what this record does not know from <paramref name="later"/>, a later line about the same compaction:
    /// facts only ever get added, never taken away, and the first <see cref="At"/> and <see cref="Source"/> stay. A later
    /// <c>manual</c> never replaces <c>idle</c>: the transcript says <c>manual</c> for an idle compaction.
    /// </summary>
    public CompactionRecord Enrich(CompactionRecord later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return this with
        {
            Trigger = CompactionTriggers.Merge(later.Trigger, Trigger),
            PreTokens = later.PreTokens ?? PreTokens,
            PostTokens = later.PostTokens ?? PostTokens,
            DurationMs = later.DurationMs ?? DurationMs,
            ContextWindow = later.ContextWindow ?? ContextWindow,
            BoundaryUuid = later.BoundaryUuid ?? BoundaryUuid,
            Flattened = later.Flattened ?? Flattened,
        };
    }
}
