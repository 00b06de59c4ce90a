namespace AcpHost.Features.PostMortem;

/// <summary>A session's context fill at one moment: what one assistant message's <c>usage</c> says was sent.</summary>
/// <param name="At">The assistant line's timestamp.</param>
/// <param name="Tokens"><c>input_tokens + cache_read_input_tokens + cache_creation_input_tokens</c>.</param>
public readonly record struct FillPoint(DateTimeOffset At, long Tokens);
