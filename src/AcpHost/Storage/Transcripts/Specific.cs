namespace AcpHost.Storage.Transcripts;

/// <summary>One specific a turn worked with: a file path, a command line, a URL, or (for a failed call) a tool's name.</summary>
/// <param name="Kind">Which kind.</param>
/// <param name="Value">The path, the command on one line, the URL, or the tool's name, as the transcript wrote it.</param>
internal sealed record Specific(SpecificKind Kind, string Value);
