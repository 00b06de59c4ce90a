using AcpHost.Acp;
using AcpHost.Events;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Reads the compaction signals out of one decoded <c>session/update</c>: the agent's synthetic compact tool call,
/// ACP's <c>compaction_update</c>, JetBrains AIR's <c>_meta.jetbrains.air.contextCompaction</c> on either, and the
/// non-standard <c>compact_boundary</c> update. Pure: no state, no I/O.
/// </summary>
internal static class CompactionSignalReader
{
    /// <summary>The signal in <paramref name="update"/>, or null when it is not about a compaction.</summary>
    public static CompactionSignal? Read(string sessionId, SessionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        CompactionFacts? air = JetBrainsFacts(update.Meta);
        switch (update.Kind)
        {
            case "tool_call" or "tool_call_update" when IsCompactTool(update.Meta):
            {
                CompactionFacts facts = RawOutputFacts(update.RawOutput) ?? air ?? CompactionFacts.None;
                string source = RawOutputFacts(update.RawOutput) is null && air is not null ? CompactionSources.JetBrainsMeta : CompactionSources.ToolCall;
                return new CompactionSignal(sessionId, source, update.ToolCallId, PhaseOf(update.Kind, update.Status), facts);
            }

            case "compaction_update":
                return new CompactionSignal(
                    sessionId,
                    air is null ? CompactionSources.CompactionUpdate : CompactionSources.JetBrainsMeta,
                    update.CompactionId,
                    PhaseOf(update.Kind, update.Status),
                    air ?? CompactionFacts.None);

            case "compact_boundary":
                var boundary = new CompactionFacts(CompactionFacts.NormalizeTrigger(update.Trigger), update.PreTokens, update.PostTokens, update.DurationMs);
                return new CompactionSignal(sessionId, CompactionSources.CompactBoundaryUpdate, null, SignalPhase.Completed, boundary.Or(air ?? CompactionFacts.None));

            default:
                return air is null ? null : new CompactionSignal(sessionId, CompactionSources.JetBrainsMeta, update.ToolCallId ?? update.CompactionId, SignalPhase.Update, air);
        }
    }

    private static SignalPhase PhaseOf(string kind, string? status) => status switch
    {
        "completed" => SignalPhase.Completed,
        "failed" => SignalPhase.Failed,
        "in_progress" or "pending" when kind is "tool_call" or "compaction_update" => SignalPhase.Started,
        _ => SignalPhase.Update,
    };

    private static bool IsCompactTool(UpdateMeta? meta) =>
        meta?.ClaudeCode is { ValueKind: JsonValueKind.Object } claudeCode
        && claudeCode.TryGetProperty("toolName"u8, out JsonElement name)
        && name.ValueKind == JsonValueKind.String
        && name.ValueEquals("compact"u8);

    private static CompactionFacts? RawOutputFacts(JsonElement? rawOutput) =>
        rawOutput is { ValueKind: JsonValueKind.Object } output ? FactsFrom(output) : null;

    private static CompactionFacts? JetBrainsFacts(UpdateMeta? meta) =>
        meta?.JetBrains is { ValueKind: JsonValueKind.Object } jetbrains
        && jetbrains.TryGetProperty("air"u8, out JsonElement air) && air.ValueKind == JsonValueKind.Object
        && air.TryGetProperty("contextCompaction"u8, out JsonElement compaction) && compaction.ValueKind == JsonValueKind.Object
            ? FactsFrom(compaction)
            : null;

    private static CompactionFacts? FactsFrom(JsonElement element)
    {
        var facts = new CompactionFacts(
            element.TryGetProperty("trigger"u8, out JsonElement trigger) && trigger.ValueKind == JsonValueKind.String ? CompactionFacts.NormalizeTrigger(trigger.GetString()) : null,
            Number(element, "preTokens"u8),
            Number(element, "postTokens"u8),
            Number(element, "durationMs"u8));
        return facts == CompactionFacts.None ? null : facts;
    }

    private static long? Number(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number : null;
}
