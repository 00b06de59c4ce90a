namespace AcpHost.Features.Fork;

/// <summary>How a fork the host asked for ended: the new session, or the agent's error.</summary>
/// <param name="SessionId">The new session's id, when it succeeded.</param>
/// <param name="ParentSessionId">The session that was forked.</param>
/// <param name="Result">The agent's whole <c>session/fork</c> result (modes, configOptions, …), when it succeeded.</param>
/// <param name="Error">The agent's error object, when it refused.</param>
internal sealed record ForkResult(string? SessionId, string ParentSessionId, JsonElement? Result, JsonElement? Error)
{
    /// <summary>True when a new session exists.</summary>
    public bool Succeeded => SessionId is not null;
}
