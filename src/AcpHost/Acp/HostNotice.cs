using System.Text;

namespace AcpHost.Acp;

/// <summary>
/// Something the host tells the user about a session, in the agent's own convention for what is not Claude's reply
/// (its <c>session-notices.js</c>): a <c>notice</c> session update for a client that shows notices, else an
/// <c>agent_message_chunk</c> whose text is the bold-label rendering <c>**Title:** summary</c>; both carry
/// <c>_meta.acphost.notice</c> naming the <see cref="Kind"/>, so a client can tell them from Claude's words. The text
/// is plain (a notice's fields are plain text); <see cref="Parts"/> are further lines, each its own fact, in order.
/// </summary>
/// <param name="SessionId">The session it is about, and shown in.</param>
/// <param name="Kind">Which kind of notice (its switch, severity and wire name).</param>
/// <param name="Title">A short title that stands alone.</param>
/// <param name="Summary">The first line of detail.</param>
internal sealed record HostNotice(string SessionId, NoticeKind Kind, string Title, string Summary)
{
    /// <summary>Further lines, each a fact of its own (a notice's description lines; list items in the chunk).</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    /// <summary>The notice's description: the summary, then each part on a line of its own.</summary>
    public string Description => Parts.Count == 0 ? Summary : Summary + "\n" + string.Join('\n', Parts);

    /// <summary>
    /// The bold-label text for a client that cannot show notices, in Markdown: the parts as a list (a part indented by
    /// two spaces as an item of the one before). It stands as paragraphs of its own: clients join a turn's chunks into
    /// one message, and the agent's text may come right before or after it.
    /// </summary>
    public string TranscriptText
    {
        get
        {
            var text = new StringBuilder("\n\n**").Append(Title).Append(":** ").Append(Summary);
            if (Parts.Count > 0)
            {
                text.Append("\n\n");
                text.AppendJoin('\n', Parts.Select(part => part.StartsWith("  ", StringComparison.Ordinal) ? "  - " + part.TrimStart() : "- " + part));
            }

            return text.Append("\n\n").ToString();
        }
    }

    /// <summary>
    /// The <c>session/update</c> params that carry it: a <c>notice</c> when <paramref name="asNotice"/>, else an
    /// <c>agent_message_chunk</c>, which ACP v2 requires to name its message (<paramref name="messageId"/>).
    /// </summary>
    public byte[] UpdateParams(bool asNotice, string? messageId = null) => SessionUpdates.Params(SessionId, writer =>
    {
        if (asNotice)
        {
            writer.WriteString("sessionUpdate"u8, "notice"u8);
            writer.WriteString("severity"u8, Kind.Severity);
            writer.WriteString("title"u8, Title);
            writer.WriteString("description"u8, Description);
        }
        else
        {
            writer.WriteString("sessionUpdate"u8, "agent_message_chunk"u8);
            SessionUpdates.WriteTextContent(writer, TranscriptText);
            if (messageId is not null)
            {
                writer.WriteString("messageId"u8, messageId);
            }
        }

        WriteMeta(writer);
    });

    private void WriteMeta(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("_meta"u8);
        writer.WriteStartObject("acphost"u8);
        writer.WriteString("notice"u8, Kind.Name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
