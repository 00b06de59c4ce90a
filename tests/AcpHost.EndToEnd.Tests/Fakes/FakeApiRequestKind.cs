namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>What a request received by <see cref="FakeMessagesApi"/> was for.</summary>
public enum FakeApiRequestKind
{
    /// <summary>A model call for a normal conversation turn (<c>POST /v1/messages</c>).</summary>
    Turn,

    /// <summary>The agent asking for a session title (last user message starts with <c>&lt;session&gt;</c>).</summary>
    Title,

    /// <summary>The compaction summarizer call (last user message starts with <c>CRITICAL: Respond with TEXT ONLY</c>).</summary>
    Summary,

    /// <summary>
    /// The agent asking the model to predict the user's next prompt after a turn (last user message starts with
    /// <c>[SUGGESTION MODE:</c>). Sent after every turn but a session's first unless
    /// <c>CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION=false</c>; the agent forwards the answer only to JetBrains AIR clients.
    /// </summary>
    Suggestion,

    /// <summary><c>POST /v1/messages/count_tokens</c>.</summary>
    CountTokens,

    /// <summary>Anything else (GETs, unknown paths).</summary>
    Other,
}
