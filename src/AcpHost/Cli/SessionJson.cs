using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AcpHost.Features.Sessions;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost sessions --json</c>: an array of objects with exactly the fields sessionId, parentSessionId, forkReason,
/// cwd, createdAt, usedTokens, contextWindow and compactions, unknown values as null. Written field by field, so the
/// contract holds whatever the ledger's own format gains.
/// </summary>
internal static class SessionJson
{
    /// <summary>The JSON text (indented) for <paramref name="sessions"/>, in the order given.</summary>
    public static string Write(IEnumerable<SessionRecord> sessions)
    {
        var buffer = new ArrayBufferWriter<byte>();

        // The output goes to a terminal or a script, never into HTML: '+' and non-ASCII need no escaping.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (SessionRecord session in sessions)
            {
                json.WriteStartObject();
                json.WriteString("sessionId", session.SessionId);
                json.WriteString("parentSessionId", session.ParentSessionId);
                json.WriteString("forkReason", session.ForkReason);
                json.WriteString("cwd", session.Cwd);
                if (session.CreatedAt is { } created)
                {
                    json.WriteString("createdAt", created.UtcDateTime);
                }
                else
                {
                    json.WriteNull("createdAt");
                }

                WriteNumber(json, "usedTokens", session.UsedTokens);
                WriteNumber(json, "contextWindow", session.ContextWindow);
                json.WriteNumber("compactions", session.Compactions);
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
