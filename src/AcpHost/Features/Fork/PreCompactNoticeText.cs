using AcpHost.Acp;
using AcpHost.State;

namespace AcpHost.Features.Fork;

/// <summary>The notice that a fork was taken before an automatic compaction: the fill that crossed the mark, and the fork.</summary>
internal static class PreCompactNoticeText
{
    /// <summary>The notice for <paramref name="forkId"/>, taken of <paramref name="sessionId"/> at the fill <paramref name="crossed"/> shows.</summary>
    public static HostNotice For(string sessionId, string forkId, SessionInfo? crossed, PreCompactPolicy policy)
    {
        string mark = crossed?.ContextWindow is { } window
            ? $"the fork mark of {NoticeText.Tokens(policy.MarkFor(window))} tokens ({NoticeText.Percent(policy.MarkFor(window), window)})"
            : $"the fork mark ({policy.Percent:0.##} %)";
        return new HostNotice(
            sessionId,
            NoticeKind.PreCompactFork,
            "Fork saved before compaction",
            $"This session reached {NoticeText.Fill(crossed?.UsedTokens, crossed?.ContextWindow)}, past {mark}: fork {forkId} keeps the whole conversation as it is now.")
        {
            Parts =
            [
                "The agent will soon compact this session into a summary; the fork keeps every turn before that.",
                $"Open the fork from your session list (session/resume {forkId}) to go on from the full history.",
            ],
        };
    }
}
