namespace AcpHost.Storage.Transcripts;

/// <summary>
/// A <c>tool_use</c> block of an assistant line: the tool, and the inputs that name something the turn worked with.
/// Which of them count, and as what, is decided by <see cref="Specifics"/> once the whole block is read (its keys come in
/// any order).
/// </summary>
internal sealed class ToolUse
{
    // Longer values are cut: a specific is a name to show and compare, never a payload to hold.
    private const int LongestValue = 1000;

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? FilePath { get; set; }

    public string? NotebookPath { get; set; }

    public string? Path { get; set; }

    public string? Url { get; set; }

    public string? Command { get; set; }

    /// <summary>What the call worked with: its files (all of <c>file_path</c>, <c>notebook_path</c>, <c>path</c>), its URL, and its command when the tool runs commands.</summary>
    public IEnumerable<Specific> Specifics()
    {
        foreach (string? file in new[] { FilePath, NotebookPath, Path }.Distinct(StringComparer.Ordinal))
        {
            if (Clean(file, collapse: false) is { } path)
            {
                yield return new Specific(SpecificKind.File, path.TrimEnd('/', '\\') is { Length: > 0 } trimmed ? trimmed : path);
            }
        }

        if (Clean(Url, collapse: false) is { } url)
        {
            yield return new Specific(SpecificKind.Url, url);
        }

        // Other tools have inputs called command (an MCP server's, say) that are no command line.
        if (Name is "Bash" or "PowerShell" && Clean(Command, collapse: true) is { } command)
        {
            yield return new Specific(SpecificKind.Command, command);
        }
    }

    // Trimmed, a command on one line with single spaces, cut to LongestValue; null when nothing is left.
    private static string? Clean(string? value, bool collapse)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string clean = collapse ? string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : value.Trim();
        return clean.Length > LongestValue ? clean[..LongestValue] : clean;
    }
}
