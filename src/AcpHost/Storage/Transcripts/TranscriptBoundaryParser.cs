using System.Globalization;
using AcpHost.Events;
using AcpHost.Relay.Protocol;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Recognises <c>compact_boundary</c> lines in transcripts, in both spellings: <c>compactMetadata.preTokens</c> (current)
/// and <c>compact_metadata.pre_tokens</c> (older files and the SDK's stream). A cheap byte search comes first, so the
/// conversation lines around them are never parsed.
/// </summary>
internal static class TranscriptBoundaryParser
{
    /// <summary>True when the line may be a boundary; false means it certainly is not.</summary>
    public static bool MayBeBoundary(ReadOnlySpan<byte> line) => line.IndexOf("compact_boundary"u8) >= 0;

    /// <summary>The boundary on this line, or null when the line is not one (or is not valid JSON).</summary>
    public static TranscriptBoundary? TryParse(ReadOnlySpan<byte> line)
    {
        if (!MayBeBoundary(line))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(line, JsonDepth.Reader);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "type"u8) != "system" || Text(root, "subtype"u8) != "compact_boundary")
            {
                return null;
            }

            CompactionFacts facts = root.TryGetProperty("compactMetadata"u8, out JsonElement current) && current.ValueKind == JsonValueKind.Object
                ? new CompactionFacts(CompactionFacts.NormalizeTrigger(Text(current, "trigger"u8)), Number(current, "preTokens"u8), Number(current, "postTokens"u8), Number(current, "durationMs"u8))
                : root.TryGetProperty("compact_metadata"u8, out JsonElement older) && older.ValueKind == JsonValueKind.Object
                    ? new CompactionFacts(CompactionFacts.NormalizeTrigger(Text(older, "trigger"u8)), Number(older, "pre_tokens"u8), Number(older, "post_tokens"u8), Number(older, "duration_ms"u8))
                    : CompactionFacts.None;
            DateTimeOffset? timestamp = DateTimeOffset.TryParse(Text(root, "timestamp"u8), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) ? parsed : null;
            return new TranscriptBoundary(Text(root, "uuid"u8), Text(root, "sessionId"u8), timestamp, Text(root, "cwd"u8), facts)
            {
                ForkedFrom = root.TryGetProperty("forkedFrom"u8, out JsonElement forkedFrom) && forkedFrom.ValueKind == JsonValueKind.Object
                    && Text(forkedFrom, "messageUuid"u8) is { } copied
                    ? (Text(forkedFrom, "sessionId"u8), copied)
                    : null,
                PreservedUuids = Preserved(current),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The uuids listed under compactMetadata.preservedMessages (both lists; they differ only in what they leave out).
    private static HashSet<string> Preserved(JsonElement metadata)
    {
        var uuids = new HashSet<string>(StringComparer.Ordinal);
        if (metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("preservedMessages"u8, out JsonElement preserved) && preserved.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty list in preserved.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array && (p.NameEquals("uuids"u8) || p.NameEquals("allUuids"u8))))
            {
                uuids.UnionWith(list.Value.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!));
            }
        }

        return uuids;
    }

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number : null;
}
