namespace AcpHost.Features.PostMortem;

/// <summary>What an assistant transcript line says about the context it was answered from.</summary>
/// <param name="SessionId">The session the line names, if it does.</param>
/// <param name="Cwd">The working directory the line records, if any.</param>
/// <param name="Point">When, and the context fill.</param>
/// <param name="Sidechain">A subagent's line: its context is not the session's.</param>
public readonly record struct UsageLine(string? SessionId, string? Cwd, FillPoint Point, bool Sidechain);
