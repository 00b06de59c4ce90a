namespace AcpHost.Usage;

/// <summary>A session's context at one moment: what one model request was answered from.</summary>
/// <param name="At">When the request was answered (its assistant line's timestamp).</param>
/// <param name="Tokens">Its context: input, cache writes and cache reads.</param>
internal readonly record struct FillPoint(DateTimeOffset At, long Tokens);
