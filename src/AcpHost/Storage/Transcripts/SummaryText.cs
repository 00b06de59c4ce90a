using System.Text.RegularExpressions;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// The model's own summary inside the user line the agent writes after a compaction (<c>isCompactSummary</c>). Claude
/// Code 2.1.318 wraps it: a first sentence ("This session is being continued …"), a <c>&lt;system-reminder&gt;</c> with
/// the tools used before, <c>Summary:</c>, the model's text, then a paragraph naming the transcript's path and how to
/// go on. Only the model's text counts: the tools-used list and the path would otherwise "name" what the model dropped.
/// </summary>
internal static partial class SummaryText
{
    private const string Marker = "Summary:";
    private const string Continued = "This session is being continued";
    private const string Below = "summarized below:";

    // What the agent writes after the model's text, in the wrappers known: the paragraph pointing at the transcript,
    // the instruction to go on, the note on the messages kept verbatim.
    private static readonly string[] Tails =
    [
        "If you need specific details from before compaction",
        "read the full transcript at:",
        "Continue the conversation from where it left off",
        "Please continue the conversation from where we left it off",
        "The messages after this summary are the most recent messages",
    ];

    /// <summary>
    /// The model's text, and whether the agent marked where it starts (<c>Summary:</c> at the start of a line, or
    /// <c>&lt;summary&gt;</c> tags). Without a marker (an older or newer wrapper): the line without a first sentence that
    /// starts "This session is being continued" (up to "summarized below:" when it says so), without system reminders,
    /// and in both cases cut before the first line that holds one of the known closing sentences.
    /// </summary>
    public static (ReadOnlyMemory<char> Text, bool Marked) Extract(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        (int start, int end, bool marked) = Bounds(line);
        foreach (string tail in Tails)
        {
            int at = line.IndexOf(tail, start, end - start, StringComparison.Ordinal);
            if (at >= 0)
            {
                // The whole line the closing sentence starts on goes.
                int lineStart = at > start ? line.LastIndexOf('\n', at - 1, at - start) : -1;
                end = lineStart >= 0 ? lineStart : at;
            }
        }

        // A slice of the line, not a copy: a scan meets a thousand summaries of tens of kilobytes.
        ReadOnlyMemory<char> text = line.AsMemory(start, end - start);
        if (text.Span.Contains("<system-reminder>", StringComparison.Ordinal))
        {
            text = Reminders().Replace(text.ToString(), "").AsMemory();
        }

        return (text.Trim(), marked);
    }

    private static (int Start, int End, bool Marked) Bounds(string line)
    {
        int open = line.IndexOf("<summary>", StringComparison.Ordinal);
        int close = open >= 0 ? line.IndexOf("</summary>", open, StringComparison.Ordinal) : -1;
        if (close > open)
        {
            return (open + "<summary>".Length, close, true);
        }

        for (int at = line.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = line.IndexOf(Marker, at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || line[at - 1] == '\n')
            {
                return (at + Marker.Length, line.Length, true);
            }
        }

        int first = line.Length - line.AsSpan().TrimStart().Length;
        if (!line.AsSpan(first).StartsWith(Continued, StringComparison.Ordinal))
        {
            return (0, line.Length, false);
        }

        int below = line.IndexOf(Below, first, StringComparison.Ordinal);
        int newline = line.IndexOf('\n', first);
        return (below >= 0 ? below + Below.Length : newline >= 0 ? newline : line.Length, line.Length, false);
    }

    [GeneratedRegex("<system-reminder>.*?</system-reminder>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Reminders();
}
