using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Control;

/// <summary>
/// The params of <c>event/compaction</c>: the same JSON as a line of the compaction ledger (protocol/README.md says
/// "the ledger record"), kept as the control wire's own type so that the ledger's format and the wire can change apart.
/// </summary>
public sealed record CompactionEvent
{
    /// <summary>The host's id for this compaction.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The compacted session.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary><c>auto</c>, <c>manual</c> or <c>idle</c>; null while unknown.</summary>
    [JsonPropertyName("trigger")]
    public string? Trigger { get; init; }

    /// <summary>Tokens of live context before the compaction.</summary>
    [JsonPropertyName("preTokens")]
    public long? PreTokens { get; init; }

    /// <summary>Tokens after it.</summary>
    [JsonPropertyName("postTokens")]
    public long? PostTokens { get; init; }

    /// <summary>How long it took.</summary>
    [JsonPropertyName("durationMs")]
    public long? DurationMs { get; init; }

    /// <summary>The context window at the time.</summary>
    [JsonPropertyName("contextWindow")]
    public long? ContextWindow { get; init; }

    /// <summary>When the host first learned of it (UTC).</summary>
    [JsonPropertyName("at")]
    public required DateTimeOffset At { get; init; }

    /// <summary>Which signal reported it first.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>The transcript's <c>compact_boundary</c> uuid, once known (left out while unknown, as in the ledger).</summary>
    [JsonPropertyName("boundaryUuid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BoundaryUuid { get; init; }

    /// <summary>The wire form of <paramref name="record"/>: every field of the record, under the ledger's names.</summary>
    public static CompactionEvent From(CompactionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new()
        {
            Id = record.Id,
            SessionId = record.SessionId,
            Trigger = record.Trigger,
            PreTokens = record.PreTokens,
            PostTokens = record.PostTokens,
            DurationMs = record.DurationMs,
            ContextWindow = record.ContextWindow,
            At = record.At,
            Source = record.Source,
            BoundaryUuid = record.BoundaryUuid,
        };
    }
}
