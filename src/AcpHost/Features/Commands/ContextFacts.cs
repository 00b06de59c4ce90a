using AcpHost.Usage;

namespace AcpHost.Features.Commands;

/// <summary>The live facts of a session the <c>/context</c> addition shows beside its story.</summary>
/// <param name="UsedTokens">Tokens of context in use, from the latest <c>usage_update</c>.</param>
/// <param name="ContextWindow">The context window.</param>
/// <param name="MarkFor">The fill at which a session with a given window is forked before compaction; null when that is off.</param>
/// <param name="Usage">What the session's live usage model knows (its prompt cache, its cold requests); null when not followed.</param>
/// <param name="Now">The time the notice is made at.</param>
internal sealed record ContextFacts(long? UsedTokens, long? ContextWindow, Func<long, long?> MarkFor, UsageSnapshot? Usage = null, DateTimeOffset Now = default);
