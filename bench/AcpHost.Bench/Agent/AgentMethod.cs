namespace AcpHost.Bench.Agent;

/// <summary>The methods the fake agent tells apart; everything else is <see cref="Other"/>.</summary>
internal enum AgentMethod
{
    /// <summary>No <c>method</c> member: a response, or a line that is not a request.</summary>
    None,

    /// <summary>A method the fake agent does not implement: answered with "method not found".</summary>
    Other,

    /// <summary><c>initialize</c>: answered with a small, plausible ACP result.</summary>
    Initialize,

    /// <summary><c>bench/ping</c>: answered with an empty result at once.</summary>
    Ping,

    /// <summary><c>bench/flood</c>: answered with a burst of <c>session/update</c> notifications, then an empty result.</summary>
    Flood,

    /// <summary><c>session/new</c>: answered with the one session the fake agent has, <c>sess_bench</c>.</summary>
    SessionNew,

    /// <summary>
    /// <c>session/prompt</c>: a turn shaped like a real agent's, streamed text chunks and a <c>usage_update</c>, then
    /// the <c>end_turn</c> response (<see cref="PromptTurn"/>).
    /// </summary>
    Prompt,
}
