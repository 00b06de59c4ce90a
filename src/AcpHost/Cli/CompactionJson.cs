using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AcpHost.Features.Compaction;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost compactions --json</c>: an array of objects with exactly the fields sessionId, trigger, preTokens,
/// postTokens, durationMs, contextWindow, at, source and id, unknown values as null. Written field by field rather than
/// by serialising <see cref="CompactionRecord"/>, whose ledger-only <c>boundaryUuid</c> is not part of this contract.
/// </summary>
internal static class CompactionJson
{
    /// <summary>The JSON text (indented) for <paramref name="records"/>.</summary>
    public static string Write(IReadOnlyList<CompactionRecord> records)
    {
        var buffer = new ArrayBufferWriter<byte>();

        // The output goes to a terminal or a script, never into HTML: '+' and non-ASCII need no escaping.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (CompactionRecord record in records)
            {
                json.WriteStartObject();
                json.WriteString("sessionId", record.SessionId);
                json.WriteString("trigger", record.Trigger);
                WriteNumber(json, "preTokens", record.PreTokens);
                WriteNumber(json, "postTokens", record.PostTokens);
                WriteNumber(json, "durationMs", record.DurationMs);
                WriteNumber(json, "contextWindow", record.ContextWindow);
                json.WriteString("at", record.At.UtcDateTime);
                json.WriteString("source", record.Source);
                json.WriteString("id", record.Id);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
