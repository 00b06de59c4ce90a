using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace AcpHost.Bench.Soak;

/// <summary>The soak client's wire helpers: a message's head for error text, and the requests and notifications it writes.</summary>
internal sealed partial class SoakClient
{
    private static string Head(JsonElement message)
    {
        string text = message.GetRawText();
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    private static void Message(Utf8JsonWriter w, long? id, string method, string session, long seq, string payload, (int Reply, int Delay)? echo)
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        if (id is { } value)
        {
            w.WriteNumber("id", value);
        }

        w.WriteString("method", method);
        w.WriteStartObject("params");
        w.WriteString("session", session);
        w.WriteNumber("seq", seq);
        if (echo is { } e)
        {
            w.WriteNumber("reply", e.Reply);
            w.WriteNumber("delayMs", e.Delay);
        }

        w.WriteString("payload", payload);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
