namespace AcpHost.Storage.Transcripts;

/// <summary>
/// A <c>tool_use</c> block of an assistant line: the tool, and the inputs that name something the turn worked with.
/// Which of them count, and as what, is decided once the whole block is read (its keys come in any order). One instance
/// serves many blocks (<see cref="Reset"/>): a transcript has thousands.
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

    public void Reset() => Id = Name = FilePath = NotebookPath = Path = Url = Command = null;

    /// <summary>
    /// Counts what the call worked with: its files (<c>file_path</c>, <c>notebook_path</c>, <c>path</c>, each once), its
    /// URL, and its command when the tool runs commands (other tools have inputs called command that are no command line).
    /// </summary>
    public void AddTo(SegmentTallies tallies, string? uuid)
    {
        ArgumentNullException.ThrowIfNull(tallies);
        if (File(FilePath) is { } file)
        {
            tallies[SpecificKind.File].Add(file, uuid);
        }

        if (File(NotebookPath) is { } notebook && notebook != File(FilePath))
        {
            tallies[SpecificKind.File].Add(notebook, uuid);
        }

        if (File(Path) is { } path && path != File(FilePath) && path != File(NotebookPath))
        {
            tallies[SpecificKind.File].Add(path, uuid);
        }

        if (Cut(Url?.Trim()) is { } url)
        {
            tallies[SpecificKind.Url].Add(url, uuid);
        }

        if (CommandLine() is { } command)
        {
            tallies[SpecificKind.Command].Add(command, uuid);
        }
    }

    /// <summary>What a failed call of it worked on: its first file, else its URL, else its command.</summary>
    public Specific? Target() =>
        (File(FilePath) ?? File(NotebookPath) ?? File(Path)) is { } file ? new Specific(SpecificKind.File, file)
        : Cut(Url?.Trim()) is { } url ? new Specific(SpecificKind.Url, url)
        : CommandLine() is { } command ? new Specific(SpecificKind.Command, command)
        : null;

    private string? CommandLine() => Name is "Bash" or "PowerShell" ? Cut(Collapse(Command)) : null;

    private static string? File(string? path) => Cut(path?.Trim() is { Length: > 0 } trimmed ? trimmed.TrimEnd('/', '\\') is { Length: > 0 } bare ? bare : trimmed : null);

    private static string? Cut(string? value) => value is null || value.Length == 0 ? null : value.Length > LongestValue ? value[..LongestValue] : value;

    // A command on one line with single spaces; the string itself when it is so already (most are).
    private static string? Collapse(string? command)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        string trimmed = command.Trim();
        return trimmed.AsSpan().IndexOfAny("\t\r\n\f\v") < 0 && !trimmed.Contains("  ", StringComparison.Ordinal)
            ? trimmed
            : string.Join(' ', trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
