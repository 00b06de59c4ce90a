using System.Globalization;

namespace AcpHost.Events;

/// <summary>
/// The words for what a compaction flattened, shared by the compaction notice (a few names per kind), <c>/compactions</c>
/// (more of them) and the report: one sentence, the kinds with something dropped, then where the replaced turns still
/// are (the fork taken before the compaction, else the transcript's lines).
/// </summary>
public sealed partial record FlattenedSpecifics
{
    private const int LongestCommandShown = 80;

    /// <summary>
    /// <c>The summary no longer names 2 of 5 files you worked with: src/beta.txt, missing.txt; 1 of 1 failed tool: Read
    /// (1 error) — fork 3f3a… still has the whole history.</c> Null when the replaced turns used no specific at all.
    /// </summary>
    /// <param name="forkId">The fork taken before this compaction, if the host holds one.</param>
    /// <param name="cwd">The session's working directory: paths under it are shown relative to it.</param>
    /// <param name="namesPerKind">How many dropped names to show of each kind before "and N more".</param>
    public string? Sentence(string? forkId, string? cwd, int namesPerKind)
    {
        if (Seen == 0)
        {
            return null;
        }

        if (Dropped == 0)
        {
            return $"The summary still names every specific the replaced turns used ({Counts(k => k.Seen)}).";
        }

        IEnumerable<string> parts = Kinds.Where(k => k.Kind.Dropped > 0).Select(k =>
        {
            IEnumerable<string> names = k.Kind.Items.Take(namesPerKind).Select(item => Shown(k.Name, item, cwd));
            int more = k.Kind.Dropped - Math.Min(namesPerKind, k.Kind.Items.Count);
            return $"{Number(k.Kind.Dropped)} of {Noun(k.Name, k.Kind.Seen)}: {string.Join(", ", names)}{(more > 0 ? $" and {Number(more)} more" : "")}";
        });
        return $"The summary no longer names {string.Join("; ", parts)} — {Where(forkId)}.";
    }

    /// <summary>Where the replaced turns still are: the fork, else the transcript's lines.</summary>
    public string Where(string? forkId) => forkId is not null
        ? $"fork {forkId} still has the whole history"
        : Transcript is null
            ? $"they are in the session's transcript, lines {Number(FromLine)}–{Number(ToLine)}"
            : $"they are still in the transcript {Transcript}, lines {Number(FromLine)}–{Number(ToLine)}";

    /// <summary>A dropped name as shown: a path relative to <paramref name="cwd"/> when under it, a long command cut.</summary>
    public static string Shown(string kind, FlattenedItem item, string? cwd)
    {
        ArgumentNullException.ThrowIfNull(item);
        string name = item.Name;
        if (kind == "files" && cwd is { Length: > 0 } && name.Length > cwd.Length + 1
            && name.StartsWith(cwd, StringComparison.Ordinal) && name[cwd.TrimEnd('/').Length] == '/')
        {
            name = name[(cwd.TrimEnd('/').Length + 1)..];
        }

        return kind switch
        {
            "commands" => "`" + (name.Length > LongestCommandShown ? name[..LongestCommandShown] + "…" : name) + "`",
            "toolErrors" => $"{name} ({Number(item.Uses)} {(item.Uses == 1 ? "error" : "errors")})",
            _ => name,
        };
    }

    /// <summary><c>5 files you worked with</c>, <c>1 command run</c>, ….</summary>
    public static string Noun(string kind, int count) => Number(count) + " " + (kind, count == 1) switch
    {
        ("files", true) => "file you worked with",
        ("files", false) => "files you worked with",
        ("commands", true) => "command run",
        ("commands", false) => "commands run",
        ("urls", true) => "URL fetched",
        ("urls", false) => "URLs fetched",
        (_, true) => "failed tool",
        _ => "failed tools",
    };

    private string Counts(Func<FlattenedKind, int> count) =>
        string.Join(", ", Kinds.Where(k => count(k.Kind) > 0).Select(k => Noun(k.Name, count(k.Kind))));

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
