using System.Globalization;
using System.Text;

namespace AcpHost.Cli;

/// <summary>
/// Text for a person's terminal. Paths, session ids and cwds come from transcripts and ledgers that any program can
/// write; printed raw, an ESC or BEL in them would drive the terminal (retitle it, recolour it, hide lines, on some
/// terminals answer back). Every control character (C0, DEL, C1) is shown as <c>\xNN</c> and every bidirectional
/// formatting character as <c>\uNNNN</c>; all other text, non-ASCII included, is left as it is. JSON output needs none
/// of this: its writer already escapes control characters.
/// </summary>
internal static class TerminalText
{
    /// <summary><paramref name="text"/> with control and bidi characters escaped; the same instance when there are none.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = IndexOfUnsafe(text, 0);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsControl(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else if (IsBidiControl(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Escapes each line of a block of text, keeping its line breaks.</summary>
    public static string EscapeLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IndexOfUnsafe(text, 0) < 0 ? text : string.Join('\n', text.Split('\n').Select(Escape));
    }

    private static int IndexOfUnsafe(string text, int start)
    {
        for (int i = start; i < text.Length; i++)
        {
            if (char.IsControl(text[i]) || IsBidiControl(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // The embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks (U+200E, U+200F, U+061C):
    // they reorder what follows them on the line, so a path could show as another.
    private static bool IsBidiControl(char c) => c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f' or '\u061c';
}
