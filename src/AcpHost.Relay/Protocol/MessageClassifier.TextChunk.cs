namespace AcpHost.Relay.Protocol;

/// <summary>
/// The fastest path of <see cref="MessageClassifier"/>, for the line an agent sends most: a streamed chunk of text,
/// byte for byte as the ACP TypeScript SDK writes it
/// (<c>{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":S,"update":{"sessionUpdate":S,"content":{"type":"text","text":S}}}}</c>).
/// The fixed parts are compared as bytes and only the three strings are scanned; a line that differs anywhere (other
/// members, another order, whitespace, a non-text content) goes on to the general scan. Exact all the same: the
/// template with valid strings in its holes is valid JSON, a notification of <c>session/update</c>.
/// </summary>
public static partial class MessageClassifier
{
    // Made once: every text chunk is classified the same.
    private static readonly MessageInfo TextChunkInfo = new(MessageKind.Notification, MethodNames.Get("session/update"u8), null, -1, 0, false, default, isTextChunk: true);

    private static ReadOnlySpan<byte> ChunkHead => "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":"u8;

    private static ReadOnlySpan<byte> ChunkUpdate => ",\"update\":{\"sessionUpdate\":"u8;

    private static ReadOnlySpan<byte> ChunkContent => ",\"content\":{\"type\":\"text\",\"text\":"u8;

    private static ReadOnlySpan<byte> ChunkTail => "}}}}"u8;

    /// <summary>True when <paramref name="line"/> (valid UTF-8) is a text chunk of the template above.</summary>
    private static bool IsTextChunk(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith(ChunkHead))
        {
            return false;
        }

        int i = SkipTemplateString(line, ChunkHead.Length);
        if (i < 0 || !line[i..].StartsWith(ChunkUpdate))
        {
            return false;
        }

        i = SkipTemplateString(line, i + ChunkUpdate.Length);
        if (i < 0 || !line[i..].StartsWith(ChunkContent))
        {
            return false;
        }

        i = SkipTemplateString(line, i + ChunkContent.Length);
        return i >= 0 && line[i..].StartsWith(ChunkTail) && SkipWhitespace(line, i + ChunkTail.Length) == line.Length;
    }

    /// <summary>Skips the JSON string at <paramref name="i"/>; the index after it, or -1.</summary>
    private static int SkipTemplateString(ReadOnlySpan<byte> line, int i)
    {
        int end = ScanString(line, i, out _);
        return end < 0 ? -1 : end + 1;
    }

}
