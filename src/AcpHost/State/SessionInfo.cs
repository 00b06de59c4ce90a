using AcpHost.Events;

namespace AcpHost.State;

/// <summary>What the host knows about one session it relays.</summary>
/// <param name="SessionId">The agent's session id.</param>
/// <param name="Cwd">Its working directory.</param>
/// <param name="OpenedAt">When the host first saw it (UTC).</param>
/// <param name="OpenedBy">The method that opened it: <c>session/new</c>, <c>session/load</c>, <c>session/resume</c> or <c>session/fork</c>.</param>
/// <param name="ParentSessionId">For a fork, the session it was forked from.</param>
internal sealed record SessionInfo(string SessionId, string Cwd, DateTimeOffset OpenedAt, string OpenedBy, string? ParentSessionId)
{
    /// <summary>For a fork, why it was made (<see cref="Events.ForkReasons"/>).</summary>
    public string? ForkReason { get; init; }

    /// <summary>For a fork made with <c>/fork note</c>, the note.</summary>
    public string? ForkNote { get; init; }

    /// <summary>For a fork, its parent's tokens of context in use when it was taken.</summary>
    public long? ForkUsedTokens { get; init; }

    /// <summary>The MCP servers it was opened with (JSON as the client sent it), for forks made by the host.</summary>
    public System.Text.Json.JsonElement? McpServers { get; init; }

    /// <summary>How many compactions the host recorded for it.</summary>
    public int Compactions { get; init; }

    /// <summary>Tokens of context in use, from the latest <c>usage_update</c>.</summary>
    public long? UsedTokens { get; init; }

    /// <summary>The context window, from the latest <c>usage_update</c>.</summary>
    public long? ContextWindow { get; init; }

    /// <summary>The session as the session ledger keeps it.</summary>
    public Events.SessionRecord ToRecord() => new()
    {
        SessionId = SessionId,
        ParentSessionId = ParentSessionId,
        ForkReason = ForkReason,
        ForkNote = ForkNote,
        ForkUsedTokens = ForkUsedTokens,
        Cwd = Cwd,
        CreatedAt = OpenedAt,
        UsedTokens = UsedTokens,
        ContextWindow = ContextWindow,
        Compactions = Compactions,
    };
}
