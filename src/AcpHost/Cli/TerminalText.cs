using System.Buffers;
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
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(UnsafeChars(lineBreak: true));
    private static readonly SearchValues<char> UnsafeInLines = SearchValues.Create(UnsafeChars(lineBreak: false));

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

    /// <summary>Escapes each line of a block of text, keeping its line breaks; the same instance when there is nothing to escape.</summary>
    public static string EscapeLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A command's JSON is megabytes of lines that need nothing: one vectorised search, and no copy of it.
        return text.AsSpan().IndexOfAny(UnsafeInLines) < 0 ? text : string.Join('\n', text.Split('\n').Select(Escape));
    }

    private static int IndexOfUnsafe(string text, int start)
    {
        int at = text.AsSpan(start).IndexOfAny(Unsafe);
        return at < 0 ? -1 : start + at;
    }

    // The embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks (U+200E, U+200F, U+061C):
    // they reorder what follows them on the line, so a path could show as another.
    private static bool IsBidiControl(char c) => c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f' or '\u061c';

    // Every character Escape rewrites: the controls (char.IsControl: U+0000–U+001F, U+007F–U+009F) and the bidi ones,
    // with or without the line feed that EscapeLines keeps.
    private static string UnsafeChars(bool lineBreak)
    {
        var chars = new StringBuilder();
        for (char c = '\0'; c <= '\u009f'; c = (char)(c + 1))
        {
            if (char.IsControl(c) && (lineBreak || c != '\n'))
            {
                chars.Append(c);
            }
        }

        return chars.Append("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c").ToString();
    }
}
