using AcpHost.Relay.Protocol;

namespace AcpHost.Acp;

/// <summary>The <c>session/update</c> params the host composes itself: <c>{sessionId, update: {…}}</c>.</summary>
internal static class SessionUpdates
{
    /// <summary>The params of a <c>session/update</c> of <paramref name="sessionId"/> whose update's members <paramref name="writeUpdate"/> writes.</summary>
    public static byte[] Params(string sessionId, Action<Utf8JsonWriter> writeUpdate)
    {
        ArgumentNullException.ThrowIfNull(writeUpdate);
        return JsonRpcWriter.ToBytes(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("sessionId"u8, sessionId);
            writer.WriteStartObject("update"u8);
            writeUpdate(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>Writes <c>"content": {"type": "text", "text": …}</c>, the content of a chunk of text.</summary>
    public static void WriteTextContent(Utf8JsonWriter writer, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject("content"u8);
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    /// <summary>A new message id for a message the host writes (ACP v2 requires one on every message and chunk).</summary>
    public static string NewMessageId() => "acphost-" + Guid.CreateVersion7().ToString("N");
}
