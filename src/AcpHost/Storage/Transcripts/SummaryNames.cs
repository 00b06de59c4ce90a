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

    private readonly ReadOnlyMemory<char> _summary;

    // The 64-bit hash of every trailing part of every file of the segment, sorted: how many files end with a part is
    // how often its hash is there. No part is copied out of its path (a scan meets tens of thousands of files). Two
    // parts that hash alike count as one shared part, which can only list as dropped a file the summary named, never
    // the reverse.
    private readonly List<ulong> _parts;

    /// <param name="summary">The model's text.</param>
    /// <param name="files">The segment's files: a trailing part more than one of them ends with names none of them.</param>
    public SummaryNames(ReadOnlyMemory<char> summary, IReadOnlyList<SpecificTally.Use> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        _summary = summary;
        var parts = new List<ulong>(files.Count * 4);
        foreach (SpecificTally.Use file in files)
        {
            ReadOnlySpan<char> path = Trimmed(file.Value);
            for (int part = path.IsEmpty ? -1 : 0; part >= 0; part = NextPart(path, part))
            {
                parts.Add(Hash(path[part..]));
            }
        }

        parts.Sort();
        _parts = parts;
    }

    /// <summary>True when the summary names <paramref name="path"/> by a trailing part no other file of the segment ends with.</summary>
    /// <remarks>
    /// The trailing parts, longest first: the path itself (without trailing separators), then what follows each
    /// <c>/</c> or <c>\</c> in it.
    /// </remarks>
    public bool HasFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ReadOnlySpan<char> trimmed = Trimmed(path);
        for (int part = trimmed.IsEmpty ? -1 : 0; part >= 0; part = NextPart(trimmed, part))
        {
            if (Owners(trimmed[part..]) <= 1 && HasPath(trimmed[part..]))
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
        for (int at = Text.IndexOf(first, StringComparison.Ordinal); at >= 0; at = Next(first, at))
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
        for (int at = Text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = Next(word, at))
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
        for (int at = bare.Length == 0 ? -1 : Text.IndexOf(bare, StringComparison.Ordinal); at >= 0; at = Next(bare, at))
        {
            bool starts = at == 0 || UrlMarks.Contains(Text[at - 1]) || Text[..at].EndsWith("://", StringComparison.Ordinal);
            int end = at + bare.Length;
            while (end < _summary.Length && Text[end] == '/')
            {
                end++;
            }

            while (end < _summary.Length && ".,;:!?".Contains(Text[end]))
            {
                end++;
            }

            if (starts && (end == _summary.Length || UrlMarks.Contains(Text[end])))
            {
                return true;
            }
        }

        return false;
    }

    private bool HasPath(ReadOnlySpan<char> part)
    {
        for (int at = Text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = Next(part, at))
        {
            if (at > 0 && !PathMarks.Contains(Text[at - 1]) && Text[at - 1] is not ('/' or '\\'))
            {
                continue;
            }

            int end = at + part.Length;
            while (end < _summary.Length && Text[end] is '.' or '/' or '\\')
            {
                end++;
            }

            if (end == _summary.Length || PathMarks.Contains(Text[end]))
            {
                return true;
            }
        }

        return false;
    }

    private ReadOnlySpan<char> Text => _summary.Span;

    // The next place after <paramref name="at"/> where the summary has <paramref name="text"/>, or -1.
    private int Next(ReadOnlySpan<char> text, int at)
    {
        if (text.IsEmpty || at + 1 > _summary.Length)
        {
            return -1;
        }

        int found = Text[(at + 1)..].IndexOf(text, StringComparison.Ordinal);
        return found < 0 ? -1 : at + 1 + found;
    }

    private static ReadOnlySpan<char> Trimmed(string path) => path.AsSpan().TrimEnd("/\\");

    // Where the trailing part after the one at <paramref name="part"/> starts (just past the next separator), or -1.
    private static int NextPart(ReadOnlySpan<char> path, int part)
    {
        int separator = path[part..].IndexOfAny('/', '\\');
        return separator < 0 || part + separator >= path.Length - 1 ? -1 : part + separator + 1;
    }

    // How many of the segment's files end with this part.
    private int Owners(ReadOnlySpan<char> part)
    {
        ulong hash = Hash(part);
        int at = _parts.BinarySearch(hash);
        if (at < 0)
        {
            return 0;
        }

        int first = at, last = at;
        while (first > 0 && _parts[first - 1] == hash)
        {
            first--;
        }

        while (last < _parts.Count - 1 && _parts[last + 1] == hash)
        {
            last++;
        }

        return last - first + 1;
    }

    // FNV-1a over the characters.
    private static ulong Hash(ReadOnlySpan<char> text)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211;
        }

        return hash;
    }

    // [start, end) is a word of its own: only opening marks between it and whitespace (or the text's start) before it,
    // only closing marks between it and whitespace (or the end) after it. Returns where those closing marks end, or -1.
    private int WordEnd(int start, int end)
    {
        int before = start - 1;
        while (before >= 0 && Opening.Contains(Text[before]))
        {
            before--;
        }

        if (before >= 0 && !char.IsWhiteSpace(Text[before]))
        {
            return -1;
        }

        while (end < _summary.Length && Closing.Contains(Text[end]))
        {
            end++;
        }

        return end == _summary.Length || char.IsWhiteSpace(Text[end]) ? end : -1;
    }

    // The word after the whitespace at <paramref name="from"/> is <paramref name="word"/>.
    private bool NextWordIs(int from, string word)
    {
        int at = from;
        while (at < _summary.Length && char.IsWhiteSpace(Text[at]))
        {
            at++;
        }

        while (at < _summary.Length && Opening.Contains(Text[at]))
        {
            at++;
        }

        return at > from && Text[at..].StartsWith(word, StringComparison.Ordinal) && WordEnd(at, at + word.Length) >= 0;
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
