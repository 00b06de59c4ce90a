namespace AcpHost.Storage.Transcripts;

/// <summary>
/// One model request as an assistant line of a transcript records it. Claude Code writes one line per content block
/// of a response, each repeating the response's usage, so several lines may describe the same request: they share
/// <see cref="MessageId"/> (and <see cref="RequestId"/>).
/// </summary>
/// <param name="SessionId">The session the line names, if it does.</param>
/// <param name="Cwd">The working directory the line records, if any.</param>
/// <param name="At">The line's timestamp.</param>
/// <param name="MessageId">The response's <c>message.id</c>, if the line has one.</param>
/// <param name="RequestId">The line's <c>requestId</c>, if any.</param>
/// <param name="Model">The model that answered (<c>message.model</c>), if the line says.</param>
/// <param name="Tokens">The response's usage.</param>
/// <param name="Sidechain">A subagent's request (<c>isSidechain</c>): its context is the subagent's, not the session's.</param>
/// <param name="AgentId">The subagent that made it (<c>agentId</c>), if the line says.</param>
/// <param name="ForkedFrom">
/// For a line a fork copied from its parent's history (<c>forkedFrom</c>): the parent's session, or "" when the copy does
/// not name it. Such a line is the parent's request, not the fork's: it tells what the fork's cache holds, nothing more.
/// </param>
internal readonly record struct ModelRequest(
    string? SessionId,
    string? Cwd,
    DateTimeOffset At,
    string? MessageId,
    string? RequestId,
    string? Model,
    TokenCounts Tokens,
    bool Sidechain,
    string? AgentId,
    string? ForkedFrom)
{
    /// <summary>A line copied from a fork's parent rather than a request of its own.</summary>
    public bool IsForkCopy => ForkedFrom is not null;
}
