namespace AcpHost.Relay.Protocol;

/// <summary>
/// The fastest path of <see cref="MessageClassifier"/>, for the line a peer sends most, in the exact bytes its
/// protocol's SDK writes: a <see cref="LineTemplate"/> the relay is given (for ACP, a streamed chunk of text, see
/// <c>AcpHost.Acp.AcpDialect</c>). The fixed parts are compared as bytes and only the strings between them are scanned;
/// a line that differs anywhere (other members, another order, whitespace, a non-text content) goes on to the general
/// scan. Exact all the same: the template with valid strings in its holes is valid JSON, a notification of one method
/// (checked when the template is made).
/// </summary>
public static partial class MessageClassifier
{
    /// <summary>True when <paramref name="line"/> (valid UTF-8) is a line of <paramref name="template"/>.</summary>
    private static bool IsTemplateLine(ReadOnlySpan<byte> line, LineTemplate template)
    {
        byte[][] parts = template.Parts;
        if (!line.StartsWith(parts[0]))
        {
            return false;
        }

        int i = parts[0].Length;
        for (int part = 1; part < parts.Length; part++)
        {
            i = SkipTemplateString(line, i);
            if (i < 0 || !line[i..].StartsWith(parts[part]))
            {
                return false;
            }

            i += parts[part].Length;
        }

        return SkipWhitespace(line, i) == line.Length;
    }

    /// <summary>Skips the JSON string at <paramref name="i"/>; the index after it, or -1.</summary>
    private static int SkipTemplateString(ReadOnlySpan<byte> line, int i)
    {
        int end = ScanString(line, i, out _);
        return end < 0 ? -1 : end + 1;
    }
}
