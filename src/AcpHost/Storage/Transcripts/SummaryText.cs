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
    /// The model's text, and whether the agent marked where it starts (<c>Summary:</c>, or <c>&lt;summary&gt;</c> tags).
    /// Without a marker (an older or newer wrapper): the line without its system reminders, without a first paragraph
    /// that starts "This session is being continued", and cut before the first of the known closing sentences.
    /// </summary>
    public static (string Text, bool Marked) Extract(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string text = Reminders().Replace(line, "");
        bool marked = false;
        if (Tagged().Match(text) is { Success: true } tagged)
        {
            text = tagged.Groups[1].Value;
            marked = true;
        }
        else if (Marker().Match(text) is { Success: true } marker)
        {
            text = text[(marker.Index + marker.Length)..];
            marked = true;
        }
        else if (text.TrimStart().StartsWith("This session is being continued", StringComparison.Ordinal))
        {
            string trimmed = text.TrimStart();
            int below = trimmed.IndexOf("summarized below:", StringComparison.Ordinal);
            int end = below >= 0 ? below + "summarized below:".Length : trimmed.IndexOf('\n', StringComparison.Ordinal);
            text = end >= 0 ? trimmed[end..] : "";
        }

        int cut = text.Length;
        foreach (string tail in Tails)
        {
            int at = text.IndexOf(tail, StringComparison.Ordinal);
            if (at >= 0)
            {
                // The whole line the closing sentence starts on goes.
                cut = Math.Min(cut, text.LastIndexOf('\n', Math.Max(0, at - 1)) is var newline and >= 0 ? newline : at);
            }
        }

        return (text[..cut].Trim(), marked);
    }

    [GeneratedRegex("<system-reminder>.*?</system-reminder>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Reminders();

    [GeneratedRegex("<summary>(.*?)</summary>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Tagged();

    [GeneratedRegex("^Summary:[ \\t]*\\r?\\n?", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
