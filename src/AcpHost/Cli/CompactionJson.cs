using AcpHost.Events;
using AcpHost.Features.Compaction;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost compactions --json</c>: an array of objects with exactly the fields sessionId, trigger, preTokens,
/// postTokens, durationMs, contextWindow, at, source, id and flattened (<see cref="FlattenedSpecifics"/>), unknown values
/// as null. Written field by field rather than by serialising <see cref="CompactionRecord"/>, whose ledger-only
/// <c>boundaryUuid</c> is not part of this contract.
/// </summary>
internal static class CompactionJson
{
    /// <summary>The JSON text (indented) for <paramref name="records"/>.</summary>
    public static string Write(IReadOnlyList<CompactionRecord> records) => CliJson.Array(records, WriteFields);

    /// <summary>One record's fields, into an object already started (also <c>watch --json</c>'s compaction line).</summary>
    public static void WriteFields(Utf8JsonWriter json, CompactionRecord record)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(record);
        json.WriteString("sessionId", record.SessionId);
        json.WriteString("trigger", record.Trigger);
        CliJson.NumberOrNull(json, "preTokens", record.PreTokens);
        CliJson.NumberOrNull(json, "postTokens", record.PostTokens);
        CliJson.NumberOrNull(json, "durationMs", record.DurationMs);
        CliJson.NumberOrNull(json, "contextWindow", record.ContextWindow);
        json.WriteString("at", record.At.UtcDateTime);
        json.WriteString("source", record.Source);
        json.WriteString("id", record.Id);
        CliJson.Flattened(json, record.Flattened);
    }
}
