namespace AcpHost.Features.Commands;

/// <summary>The live facts of a session the <c>/context</c> addition shows beside its story.</summary>
/// <param name="UsedTokens">Tokens of context in use, from the latest <c>usage_update</c>.</param>
/// <param name="ContextWindow">The context window.</param>
/// <param name="MarkFor">The fill at which a session with a given window is forked before compaction; null when that is off.</param>
internal sealed record ContextFacts(long? UsedTokens, long? ContextWindow, Func<long, long?> MarkFor);
