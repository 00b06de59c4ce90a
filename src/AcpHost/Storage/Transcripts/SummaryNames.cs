namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Whether the summary names a specific, each found by searching the summary's text for it and checking what stands
/// around it (nothing of the summary is copied or split: it may be tens of kilobytes, and a scan meets a thousand of
/// them). What counts as named:
/// <list type="bullet">
/// <item>a path: its whole path, or a trailing part of it (<c>src/a.cs</c>, <c>a.cs</c> for <c>/repo/src/a.cs</c>) that
/// no other file of the segment ends with, standing as a path-like word or the end of one: before it the text's start,
/// whitespace, a quote, backtick or bracket, one of <c>,;:|*!?=@</c>, or a <c>/</c> or <c>\</c>; after it, past any dots
/// and separators, the text's end or one of those marks (so <c>`src/a.cs`</c>, <c>(see a.cs)</c>, <c>a.cs:42</c> and
/// <c>a.cs.</c> name it, <c>a.cs.bak</c> and <c>a.csx</c> do not);</item>
/// <item>a command: its first two words as two words of the summary next to each other (one word for a one-word
/// command), a word being what stands between whitespace once quotes, backticks and brackets before it and those and
/// <c>,;:.!?</c> after it are taken off; a leading <c>cd DIR &amp;&amp;</c> is passed over, since the agent prefixes
/// commands with it;</item>
/// <item>a tool: its name as such a word;</item>
/// <item>a URL: itself, scheme (<c>http://</c>, <c>https://</c>) and trailing <c>/</c> aside, standing as a word.</item>
/// </list>
/// Everything is compared exactly, case included.
/// </summary>
internal sealed class SummaryNames
{
    private const string PathMarks = " \t\r\n`'\"()[]{}<>,;:|*!?=@";
    private const string UrlMarks = " \t\r\n`'\"()[]{}<>,;|";
    private const string Opening = "`'\"([{<";
    private const string Closing = "`'\")]}>,;:.!?";
    private static readonly char[] OpeningMarks = Opening.ToCharArray();
    private static readonly char[] ClosingMarks = Closing.ToCharArray();

    private readonly string _summary;
    private readonly Dictionary<string, int> _partOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _parts = new(StringComparer.Ordinal);

    /// <param name="summary">The model's text.</param>
    /// <param name="files">The segment's files: a trailing part more than one of them ends with names none of them.</param>
    public SummaryNames(string summary, IReadOnlyList<SpecificTally.Use> files)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(files);
        _summary = summary;
        foreach (SpecificTally.Use file in files)
        {
            string[] parts = TrailingParts(file.Value);
            _parts[file.Value] = parts;
            foreach (string part in parts)
            {
                _partOwners[part] = _partOwners.GetValueOrDefault(part) + 1;
            }
        }
    }

    /// <summary>The trailing parts of a path, longest first: itself, then what follows each separator.</summary>
    public static string[] TrailingParts(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string trimmed = path.TrimEnd('/', '\\');
        if (trimmed.Length == 0)
        {
            return [];
        }

        var parts = new List<string> { trimmed };
        for (int at = trimmed.IndexOfAny(['/', '\\']); at >= 0 && at < trimmed.Length - 1; at = trimmed.IndexOfAny(['/', '\\'], at + 1))
        {
            parts.Add(trimmed[(at + 1)..]);
        }

        return [.. parts];
    }

    /// <summary>True when the summary names <paramref name="path"/> by a trailing part no other file of the segment ends with.</summary>
    public bool HasFile(string path)
    {
        foreach (string part in _parts.GetValueOrDefault(path) ?? TrailingParts(path))
        {
            if (_partOwners.GetValueOrDefault(part) <= 1 && HasPath(part))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the summary has the command's first two words next to each other (one for a one-word command).</summary>
    public bool HasCommand(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        string[] words = [.. command.Split((char[]?)null, 6, StringSplitOptions.RemoveEmptyEntries).Select(Word).Where(w => w.Length > 0)];
        int start = words is ["cd", _, "&&", _, ..] ? 3 : 0;
        if (words.Length <= start)
        {
            return false;
        }

        string first = words[start];
        string? second = words.Length > start + 1 ? words[start + 1] : null;
        for (int at = _summary.IndexOf(first, StringComparison.Ordinal); at >= 0; at = _summary.IndexOf(first, at + 1, StringComparison.Ordinal))
        {
            int end = WordEnd(at, at + first.Length);
            if (end >= 0 && (second is null || NextWordIs(end, second)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the summary has <paramref name="word"/> (a tool's name) as a word.</summary>
    public bool HasWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        for (int at = _summary.IndexOf(word, StringComparison.Ordinal); at >= 0; at = _summary.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            if (WordEnd(at, at + word.Length) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the summary has the URL, scheme and trailing slash aside.</summary>
    public bool HasUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string bare = Bare(url);
        for (int at = bare.Length == 0 ? -1 : _summary.IndexOf(bare, StringComparison.Ordinal); at >= 0; at = _summary.IndexOf(bare, at + 1, StringComparison.Ordinal))
        {
            bool starts = at == 0 || UrlMarks.Contains(_summary[at - 1]) || _summary.AsSpan(0, at).EndsWith("://", StringComparison.Ordinal);
            int end = at + bare.Length;
            while (end < _summary.Length && _summary[end] == '/')
            {
                end++;
            }

            while (end < _summary.Length && ".,;:!?".Contains(_summary[end]))
            {
                end++;
            }

            if (starts && (end == _summary.Length || UrlMarks.Contains(_summary[end])))
            {
                return true;
            }
        }

        return false;
    }

    private bool HasPath(string part)
    {
        for (int at = _summary.IndexOf(part, StringComparison.Ordinal); at >= 0; at = _summary.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            if (at > 0 && !PathMarks.Contains(_summary[at - 1]) && _summary[at - 1] is not ('/' or '\\'))
            {
                continue;
            }

            int end = at + part.Length;
            while (end < _summary.Length && _summary[end] is '.' or '/' or '\\')
            {
                end++;
            }

            if (end == _summary.Length || PathMarks.Contains(_summary[end]))
            {
                return true;
            }
        }

        return false;
    }

    // [start, end) is a word of its own: only opening marks between it and whitespace (or the text's start) before it,
    // only closing marks between it and whitespace (or the end) after it. Returns where those closing marks end, or -1.
    private int WordEnd(int start, int end)
    {
        int before = start - 1;
        while (before >= 0 && Opening.Contains(_summary[before]))
        {
            before--;
        }

        if (before >= 0 && !char.IsWhiteSpace(_summary[before]))
        {
            return -1;
        }

        while (end < _summary.Length && Closing.Contains(_summary[end]))
        {
            end++;
        }

        return end == _summary.Length || char.IsWhiteSpace(_summary[end]) ? end : -1;
    }

    // The word after the whitespace at <paramref name="from"/> is <paramref name="word"/>.
    private bool NextWordIs(int from, string word)
    {
        int at = from;
        while (at < _summary.Length && char.IsWhiteSpace(_summary[at]))
        {
            at++;
        }

        while (at < _summary.Length && Opening.Contains(_summary[at]))
        {
            at++;
        }

        return at > from && _summary.AsSpan(at).StartsWith(word, StringComparison.Ordinal) && WordEnd(at, at + word.Length) >= 0;
    }

    private static string Word(string raw) => raw.TrimStart(OpeningMarks).TrimEnd(ClosingMarks);

    private static string Bare(string url)
    {
        string bare = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url[8..]
            : url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? url[7..]
            : url;
        return bare.TrimEnd('/');
    }
}
