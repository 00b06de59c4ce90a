namespace AcpHost.PostMortem;

/// <summary>A transcript (or folder) the scan could not read, and why.</summary>
internal sealed record UnreadableFile(string Path, string Reason);
