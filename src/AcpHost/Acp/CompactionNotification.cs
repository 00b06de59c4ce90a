using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Acp;

/// <summary>
/// The params of <c>_acphost/compaction</c>, sent to the client after every compaction, and of
/// <c>_meta.acphost</c> on the agent's terminal <c>compaction_update</c>: a <see cref="CompactionRecord"/> as the client
/// sees it, made from the record by <see cref="From"/>. It leaves out what only the host's own readers use (when and by
/// which signal the host learned of it, the transcript's boundary uuid): <c>CompactionFieldCoverageTests</c> holds that
/// list.
/// </summary>
internal sealed record CompactionNotification
{
    /// <summary>The compacted session.</summary>
    [JsonPropertyName("sessionId")]
    public required string SessionId { get; init; }

    /// <summary><c>auto</c>, <c>manual</c> or <c>idle</c>.</summary>
    [JsonPropertyName("trigger")]
    public string? Trigger { get; init; }

    /// <summary>Tokens of live context flattened; null only if no signal carried it.</summary>
    [JsonPropertyName("preTokens")]
    public long? PreTokens { get; init; }

    /// <summary>Tokens after, when known.</summary>
    [JsonPropertyName("postTokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PostTokens { get; init; }

    /// <summary>Duration, when known.</summary>
    [JsonPropertyName("durationMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DurationMs { get; init; }

    /// <summary>The session's context window, when known.</summary>
    [JsonPropertyName("contextWindow")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ContextWindow { get; init; }

    /// <summary>The host's id for the compaction, as in the ledger.</summary>
    [JsonPropertyName("compactionId")]
    public required string CompactionId { get; init; }

    /// <summary>The notification for <paramref name="record"/>.</summary>
    public static CompactionNotification From(CompactionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new CompactionNotification
        {
            SessionId = record.SessionId,
            Trigger = record.Trigger,
            PreTokens = record.PreTokens,
            PostTokens = record.PostTokens,
            DurationMs = record.DurationMs,
            ContextWindow = record.ContextWindow,
            CompactionId = record.Id,
        };
    }
}
