using System.Text;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;

namespace AcpHost.PostMortem;

/// <summary>
/// The report's "what each compaction flattened": one line per compaction whose turns used a specific (the sentence the
/// notice and <c>/compactions</c> say, from <see cref="FlattenedSpecifics.Sentence"/>), folding open on the dropped
/// specifics of every kind, most used first, as the record lists them. Plain <c>&lt;details&gt;</c>: no script.
/// </summary>
internal static class FlattenedTable
{
    // The sentence names a few per kind; the folded table lists all the record keeps.
    private const int NamesInSentence = 3;

    /// <summary>The section's HTML, or a sentence saying no compaction had a summary line to compare with.</summary>
    public static string Render(IReadOnlyList<CompactionRow> rows)
    {
        var html = new StringBuilder();
        int shown = 0;
        foreach (CompactionRow row in rows)
        {
            if (row.Flattened?.Sentence(forkId: null, row.Project, NamesInSentence) is not { } sentence)
            {
                continue;
            }

            shown++;
            FlattenedSpecifics flattened = row.Flattened;
            html.Append("<details data-flattened=\"").Append(HtmlText.Escape(row.BoundaryUuid)).Append("\"><summary>")
                .Append(HtmlText.Escape($"{HtmlText.Time(row.At)} · {row.Project} · {row.SessionId}: {HtmlText.Number(flattened.Dropped)} of {HtmlText.Number(flattened.Seen)} no longer named"))
                .Append("</summary><p>").Append(HtmlText.Escape(sentence)).Append("</p>");
            if (flattened.Dropped > 0)
            {
                html.Append("<table><thead><tr><th>kind</th><th>dropped</th><th>uses</th></tr></thead><tbody>");
                foreach ((string kind, FlattenedKind counts) in flattened.Kinds)
                {
                    foreach (FlattenedItem item in counts.Items)
                    {
                        html.Append("<tr><td>").Append(HtmlText.Escape(kind)).Append("</td><td>").Append(HtmlText.Escape(item.Name))
                            .Append("</td><td>").Append(HtmlText.Number(item.Uses)).Append("</td></tr>");
                    }
                }

                html.Append("</tbody></table>");
            }

            html.Append("</details>");
        }

        return shown > 0
            ? html.ToString()
            : "<p>No compaction scanned has a summary line to compare its turns with (or its turns used no file, command, URL or tool that failed).</p>";
    }
}
