using AcpHost.Acp;
using AcpHost.Events;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The compaction notice, made of parts, each a fact of its own: what was flattened (trigger, tokens before and after),
/// then where the conversation from before it is kept, when a fork of the session was taken before it, then what the
/// summary no longer names, once the summary line was read.
/// </summary>
internal static class CompactionNoticeText
{
    /// <summary>Dropped names shown per kind in the notice; <c>/compactions</c> shows more.</summary>
    public const int NamesPerKind = 3;

    /// <summary>
    /// The notice for a newly recorded compaction; <paramref name="forkBefore"/> is the fork that holds what it flattened,
    /// <paramref name="cwd"/> the session's working directory (paths under it are shown relative to it).
    /// </summary>
    public static HostNotice For(CompactionRecord record, SessionRecord? forkBefore, string? cwd = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        string trigger = record.Trigger switch
        {
            "auto" => "automatic",
            "idle" => "idle (the agent compacted the session while it sat idle)",
            null => "unknown trigger",
            var other => other,
        };
        List<string> parts = [$"Trigger: {trigger}."];
        parts.Add(forkBefore is { } fork
            ? $"The conversation from before it is kept whole in fork {fork.SessionId} ({NoticeText.ForkReason(fork.ForkReason, fork.ForkNote)}, {NoticeText.Time(fork.CreatedAt)}): open it from your session list (session/resume), or fork it again from a shell with acphost fork {fork.SessionId}."
            : "No fork of this session was taken before it: the turns it replaced are only in the session's transcript file now.");
        if (record.Flattened?.Sentence(forkBefore?.SessionId, cwd, NamesPerKind) is { } flattened)
        {
            parts.Add(flattened);
        }

        return new HostNotice(record.SessionId, NoticeKind.Compaction, "Context compacted", Flattened(record)) { Parts = parts };
    }

    private static string Flattened(CompactionRecord record) => (record.PreTokens, record.PostTokens) switch
    {
        ({ } pre, { } post) => $"{NoticeText.Tokens(pre)} → {NoticeText.Tokens(post)} tokens{Window(record)}.",
        ({ } pre, null) => $"{NoticeText.Tokens(pre)} tokens flattened into a summary{Window(record)}.",
        _ => "The agent flattened the conversation into a summary (its size was not reported).",
    };

    private static string Window(CompactionRecord record) =>
        record.ContextWindow is { } window ? $" (window {NoticeText.Tokens(window)})" : "";
}
