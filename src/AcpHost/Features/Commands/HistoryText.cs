using System.Text;
using AcpHost.Acp;
using AcpHost.Events;

namespace AcpHost.Features.Commands;

/// <summary>The answers to <c>/forks</c> and <c>/compactions</c>, in Markdown, from a <see cref="SessionStory"/>.</summary>
internal static class HistoryText
{
    private const int FlattenedNamesPerKind = 10;

    private const string HowToOpen =
        "Open a fork from your session list (your editor resumes it with `session/resume`); from a shell, `acphost fork SESSION_ID` forks a live session, and `acphost sessions` lists them all.";

    /// <summary><c>/forks</c>: the session's parent, its forks and theirs, each with why, when and how full, and how to open one.</summary>
    public static string Forks(SessionStory story)
    {
        ArgumentNullException.ThrowIfNull(story);
        var text = new StringBuilder("**This session's forks** (AcpHost)\n\n");
        if (story.Session is { ParentSessionId: { } parent } self)
        {
            text.Append("This session is a fork of `").Append(parent).Append("`: ").Append(Describe(story, self)).Append(".\n\n");
        }

        IReadOnlyList<SessionRecord> children = story.ForksOf(story.SessionId);
        if (children.Count == 0)
        {
            text.Append("No fork of this session yet: `/fork [note]` makes one, holding the conversation as the model has it now.\n\n");
        }

        foreach (SessionRecord child in children)
        {
            text.Append("- `").Append(child.SessionId).Append("`: ").Append(Describe(story, child)).Append('\n');
            foreach (SessionRecord grandchild in story.ForksOf(child.SessionId))
            {
                text.Append("  - `").Append(grandchild.SessionId).Append("`: ").Append(Describe(story, grandchild)).Append('\n');
                if (story.ForksOf(grandchild.SessionId).Count is > 0 and var deeper)
                {
                    text.Append("    - and ").Append(deeper).Append(deeper == 1 ? " fork" : " forks").Append(" of it (`acphost sessions` shows the whole tree)\n");
                }
            }
        }

        return text.Append(children.Count > 0 ? "\n" : "").Append(HowToOpen).ToString();
    }

    /// <summary>
    /// <c>/compactions</c>: the session's compactions, newest first, each with the fork taken before it and what its
    /// summary no longer names (more names per kind than the notice shows; the ledger keeps up to 50).
    /// </summary>
    public static string Compactions(SessionStory story)
    {
        ArgumentNullException.ThrowIfNull(story);
        IReadOnlyList<CompactionRecord> compactions = story.CompactionsOf(story.SessionId);
        var text = new StringBuilder("**This session's compactions**, newest first (AcpHost)\n\n");
        if (compactions.Count == 0)
        {
            return text.Append("No compaction of this session is recorded.").ToString();
        }

        string? cwd = story.Session?.Cwd;
        foreach (CompactionRecord compaction in compactions.Reverse())
        {
            SessionRecord? forkBefore = story.ForkBefore(compaction);
            text.Append("- ").Append(Compaction(compaction));
            text.Append(forkBefore is { } fork
                ? $"; the conversation before it is kept in fork `{fork.SessionId}` ({NoticeText.ForkReason(fork.ForkReason, fork.ForkNote)})"
                : "; no fork was taken before it");
            text.Append('\n');
            if (compaction.Flattened?.Sentence(forkBefore?.SessionId, cwd, FlattenedNamesPerKind) is { } flattened)
            {
                text.Append("  - ").Append(flattened).Append('\n');
            }
        }

        return text.Append('\n').Append(HowToOpen).ToString();
    }

    /// <summary>One compaction on a line: <c>2026-12-07 14:03 UTC, auto, 823,412 → 12,104 tokens</c>.</summary>
    public static string Compaction(CompactionRecord compaction)
    {
        ArgumentNullException.ThrowIfNull(compaction);
        string tokens = (compaction.PreTokens, compaction.PostTokens) switch
        {
            ({ } pre, { } post) => $"{NoticeText.Tokens(pre)} → {NoticeText.Tokens(post)} tokens",
            ({ } pre, null) => $"{NoticeText.Tokens(pre)} tokens before",
            _ => "size unknown",
        };
        return $"{NoticeText.Time(compaction.At)}, {compaction.Trigger ?? "unknown trigger"}, {tokens}";
    }

    /// <summary>A fork: why, when, how full its parent was, and whether it holds history from before a compaction.</summary>
    public static string Describe(SessionStory story, SessionRecord fork)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(fork);
        string held = story.ParentCompactionAfter(fork) is { } compaction
            ? $"holds the conversation from before the compaction of {NoticeText.Time(compaction.At)}"
            : "no compaction of its parent since";
        return $"{NoticeText.ForkReason(fork.ForkReason, fork.ForkNote)}, {NoticeText.Time(fork.CreatedAt)}, at {NoticeText.Fill(fork.ForkUsedTokens, fork.ContextWindow)}; {held}";
    }
}
