namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Tells a transcript's user line (a prompt or a tool's result) from its first bytes, so a scan can skip the searches
/// for a model's usage and a compaction boundary in it: a tool's result is most of a transcript's bytes, and each search
/// reads the whole line.
/// </summary>
/// <remarks>
/// Claude Code writes a user line's own <c>"type":"user"</c> before its message, within its first few hundred bytes: it
/// is the line's first <c>"type"</c> key. That key counts only when it is the line's own (one brace deep, not inside a
/// string), so an answer, whose first one is its message's, an attachment or a boundary never reads as a user line. A
/// user line whose own type comes later is not recognised and goes the long way, which finds the same things.
/// </remarks>
internal static class UserLine
{
    private const int Head = 2048;

    private static ReadOnlySpan<byte> TypeKey => "\"type\":\""u8;

    /// <summary>Whether <paramref name="line"/>'s first <c>"type"</c> key, among its first bytes, is its own and says <c>user</c>.</summary>
    public static bool Is(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> head = line[..Math.Min(line.Length, Head)];
        int at = head.IndexOf(TypeKey);
        return at >= 0 && IsOwnKey(head[..at]) && head[(at + TypeKey.Length)..].StartsWith("user\""u8);
    }

    // Whether a key right after this prefix belongs to the line's own object: one brace deep, not inside a string.
    private static bool IsOwnKey(ReadOnlySpan<byte> prefix)
    {
        int depth = 0;
        bool inString = false;
        for (int i = 0; i < prefix.Length; i++)
        {
            byte b = prefix[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (b is (byte)'}' or (byte)']')
            {
                depth--;
            }
        }

        return depth == 1 && !inString;
    }
}
