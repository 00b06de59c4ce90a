using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>
/// The members of a session update the host's features read: one flat shape for the kinds they care about
/// (<c>tool_call</c>, <c>tool_call_update</c>, <c>compaction_update</c>, <c>usage_update</c>, and the non-standard
/// <c>compact_boundary</c>). Everything else in an update is skipped.
/// </summary>
internal sealed record SessionUpdate
{
    /// <summary>The kind of update.</summary>
    [JsonPropertyName("sessionUpdate")]
    public string? Kind { get; init; }

    /// <summary>The tool call an update belongs to.</summary>
    [JsonPropertyName("toolCallId")]
    public string? ToolCallId { get; init; }

    /// <summary>The compaction a <c>compaction_update</c> belongs to.</summary>
    [JsonPropertyName("compactionId")]
    public string? CompactionId { get; init; }

    /// <summary><c>in_progress</c>, <c>completed</c>, <c>failed</c>, …</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>A tool call's raw output: any JSON; for the compact tool, an object with the compaction's facts.</summary>
    [JsonPropertyName("rawOutput")]
    public JsonElement? RawOutput { get; init; }

    /// <summary>The update's <c>_meta</c>.</summary>
    [JsonPropertyName("_meta")]
    public UpdateMeta? Meta { get; init; }

    /// <summary><c>usage_update</c>: tokens of context in use.</summary>
    [JsonPropertyName("used")]
    public long? Used { get; init; }

    /// <summary><c>usage_update</c>: the context window.</summary>
    [JsonPropertyName("size")]
    public long? Size { get; init; }

    /// <summary>Non-standard <c>compact_boundary</c>: the trigger.</summary>
    [JsonPropertyName("trigger")]
    public string? Trigger { get; init; }

    /// <summary>Non-standard <c>compact_boundary</c>: tokens before.</summary>
    [JsonPropertyName("preTokens")]
    public long? PreTokens { get; init; }

    /// <summary>Non-standard <c>compact_boundary</c>: tokens after, when sent.</summary>
    [JsonPropertyName("postTokens")]
    public long? PostTokens { get; init; }

    /// <summary>Non-standard <c>compact_boundary</c>: duration, when sent.</summary>
    [JsonPropertyName("durationMs")]
    public long? DurationMs { get; init; }
}
