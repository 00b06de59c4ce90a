namespace AcpHost.Storage.Transcripts;

/// <summary>
/// The summary as sets of what it can name, built once per compaction, so each specific is judged by a lookup:
/// <list type="bullet">
/// <item>path parts: every path-like word (cut at whitespace, quotes, backticks, brackets, <c>,;:|*!?=@</c>; a trailing
/// <c>.</c> and a leading <c>./</c> dropped) and every trailing part of it after a <c>/</c> or <c>\</c>
/// (<c>src/a.cs</c> gives <c>src/a.cs</c> and <c>a.cs</c>);</item>
/// <item>words and pairs of adjacent words (cut at whitespace, quotes, backticks and brackets around them and the
/// punctuation after them stripped), for commands and tool names;</item>
/// <item>URLs, without their scheme and trailing <c>/</c>.</item>
/// </list>
/// Everything is compared exactly, case included.
/// </summary>
internal sealed class SummaryWords
{
    private static readonly char[] PathCuts = [' ', '\t', '\r', '\n', '`', '\'', '"', '(', ')', '[', ']', '{', '}', '<', '>', ',', ';', ':', '|', '*', '!', '?', '=', '@'];
    private static readonly char[] UrlCuts = [' ', '\t', '\r', '\n', '`', '\'', '"', '(', ')', '[', ']', '{', '}', '<', '>', ',', ';', '|'];
    private static readonly char[] Separators = ['/', '\\'];

    private readonly HashSet<string> _pathParts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);
    private readonly HashSet<string> _urls = new(StringComparer.Ordinal);

    public SummaryWords(string summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        foreach (string token in summary.Split(PathCuts, StringSplitOptions.RemoveEmptyEntries))
        {
            string path = token.TrimEnd('.');
            path = path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
            _pathParts.UnionWith(TrailingParts(path));
        }

        string? previous = null;
        foreach (string raw in summary.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            string word = Word(raw);
            if (word.Length == 0)
            {
                continue;
            }

            _words.Add(word);
            if (previous is not null)
            {
                _words.Add(previous + " " + word);
            }

            previous = word;
        }

        foreach (string token in summary.Split(UrlCuts, StringSplitOptions.RemoveEmptyEntries))
        {
            _urls.Add(Url(token.TrimEnd('.', ',', ';', ':', '!', '?')));
        }
    }

    /// <summary>The trailing parts of a path, longest first: itself, then what follows each separator.</summary>
    public static IEnumerable<string> TrailingParts(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string trimmed = path.TrimEnd(Separators);
        if (trimmed.Length == 0)
        {
            yield break;
        }

        yield return trimmed;
        for (int at = trimmed.IndexOfAny(Separators); at >= 0 && at < trimmed.Length - 1; at = trimmed.IndexOfAny(Separators, at + 1))
        {
            yield return trimmed[(at + 1)..];
        }
    }

    /// <summary>True when the summary has <paramref name="part"/> as a path or a trailing part of one.</summary>
    public bool HasPathPart(string part) => _pathParts.Contains(part);

    /// <summary>
    /// True when the summary has the command's first two words (one for a one-word command) next to each other; a
    /// leading <c>cd DIR &amp;&amp;</c> is passed over, since the agent prefixes commands with it.
    /// </summary>
    public bool HasCommand(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        string[] words = [.. command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Word).Where(w => w.Length > 0)];
        int start = words is ["cd", _, "&&", _, ..] ? 3 : 0;
        return words.Length > start && _words.Contains(words.Length > start + 1 ? words[start] + " " + words[start + 1] : words[start]);
    }

    /// <summary>True when the summary has <paramref name="word"/> as a word of its own.</summary>
    public bool HasWord(string word) => _words.Contains(word);

    /// <summary>True when the summary has the URL, scheme and trailing slash aside.</summary>
    public bool HasUrl(string url) => _urls.Contains(Url(url));

    private static string Word(string raw) => raw.TrimStart('`', '\'', '"', '(', '[', '{', '<').TrimEnd('`', '\'', '"', ')', ']', '}', '>', ',', ';', ':', '.', '!', '?');

    private static string Url(string token)
    {
        string url = token.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? token[8..]
            : token.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? token[7..]
            : token;
        return url.TrimEnd('/');
    }
}
