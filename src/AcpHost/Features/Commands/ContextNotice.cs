using System.Text;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Usage;

namespace AcpHost.Features.Commands;

/// <summary>
/// What the host adds at the end of the agent's own <c>/context</c> turn: what only the host knows, assembled from
/// <see cref="Sections"/>, each a list of lines from the session's story: the fill with a text bar, the fork mark, the
/// session's compactions and its forks, and its prompt cache. A later fact is one more section.
/// </summary>
internal static class ContextNotice
{
    private const int BarCells = 20;
    private const int ListedAtMost = 5;

    /// <summary>The sections, in the order they are shown.</summary>
    private static readonly Func<SessionStory, ContextFacts, IEnumerable<string>>[] Sections = [ForkMark, Compactions, Forks, PromptCache];

    /// <summary>The notice for <paramref name="story"/>'s session, whose live fill is in <paramref name="facts"/>.</summary>
    public static HostNotice For(SessionStory story, ContextFacts facts)
    {
        ArgumentNullException.ThrowIfNull(story);
        ArgumentNullException.ThrowIfNull(facts);
        return new HostNotice(story.SessionId, NoticeKind.Context, "What AcpHost knows of this context", Fill(facts))
        {
            Parts = [.. Sections.SelectMany(section => section(story, facts))],
        };
    }

    private static string Fill(ContextFacts facts) => (facts.UsedTokens, facts.ContextWindow) switch
    {
        ({ } used, { } window) when window > 0 => $"Context: {NoticeText.Fill(used, window)} {Bar(used, window)}",
        _ => "Context: no fill reported yet for this session.",
    };

    private static string Bar(long used, long window)
    {
        int filled = (int)Math.Clamp(Math.Round(BarCells * (double)used / window), 0, BarCells);
        return new StringBuilder("[").Append('█', filled).Append('░', BarCells - filled).Append(']').ToString();
    }

    private static IEnumerable<string> ForkMark(SessionStory story, ContextFacts facts)
    {
        if (facts.ContextWindow is not { } window || facts.MarkFor(window) is not { } mark)
        {
            yield return "Fork before compaction: off.";
            yield break;
        }

        yield return $"Fork before compaction at {NoticeText.Tokens(mark)} tokens ({NoticeText.Percent(mark, window)}).";
    }

    private static IEnumerable<string> Compactions(SessionStory story, ContextFacts facts)
    {
        IReadOnlyList<CompactionRecord> compactions = story.CompactionsOf(story.SessionId);
        if (compactions.Count == 0)
        {
            yield return "Compactions: none recorded.";
            yield break;
        }

        yield return $"Compactions: {compactions.Count}" + (compactions.Count > ListedAtMost ? $", the newest {ListedAtMost} (all: /compactions):" : ":");
        foreach (CompactionRecord compaction in compactions.Reverse().Take(ListedAtMost))
        {
            yield return "  " + HistoryText.Compaction(compaction) + ".";
        }
    }

    private static IEnumerable<string> PromptCache(SessionStory story, ContextFacts facts)
    {
        if (facts.Usage?.Cache is not { } cache)
        {
            yield return "Prompt cache: no model request seen since AcpHost began following this session.";
            yield break;
        }

        string left = cache.IsWarmAt(facts.Now)
            ? $"{CacheText.Span(cache.ExpiresAt - facts.Now)} left"
            : $"cold since {CacheText.Span(facts.Now - cache.ExpiresAt)} ago";
        yield return $"Prompt cache: last model request at {CacheText.Clock(cache.LastRequestAt)}, cache lifetime {CacheText.Span(cache.Ttl)} (until {CacheText.Clock(cache.ExpiresAt)}): {left}.";
        yield return "  " + CacheText.NextPrompt(cache);
        if (facts.Usage is { ColdRequests: > 0 and var count, LastCold: { } last } usage)
        {
            string extra = usage.ColdExtraCostUsd > 0 ? $", {CacheText.Usd(usage.ColdExtraCostUsd)} more than warm" : "";
            yield return $"  Requests that found the cache cold: {count}{extra}; the last at {CacheText.Clock(last.At)} ({last.Reason}, after {CacheText.Span(last.Gap)}), writing {NoticeText.Tokens(last.CacheWrite)} tokens again.";
        }
    }

    private static IEnumerable<string> Forks(SessionStory story, ContextFacts facts)
    {
        IReadOnlyList<SessionRecord> forks = story.ForksOf(story.SessionId);
        if (forks.Count == 0)
        {
            yield return "Forks: none.";
            yield break;
        }

        yield return $"Forks: {forks.Count}" + (forks.Count > ListedAtMost ? $", the newest {ListedAtMost} (all: /forks):" : ":");
        foreach (SessionRecord fork in forks.Reverse().Take(ListedAtMost))
        {
            yield return $"  {fork.SessionId}: {HistoryText.Describe(story, fork)}.";
        }
    }
}
