namespace AcpHost.Bench.Agent;

/// <summary>What the fake agent needs from one incoming line; the id's raw JSON bytes live in the reader's scratch buffer.</summary>
/// <param name="Method">Which method the line calls, if any.</param>
/// <param name="IdLength">Length of the raw id (quotes included for a string id); 0 when the line has no id.</param>
/// <param name="Count">For <c>bench/flood</c>: how many notifications to send.</param>
/// <param name="Size">For <c>bench/flood</c>: the length of each notification line in bytes, newline included.</param>
internal readonly record struct AgentRequest(AgentMethod Method, int IdLength, long Count, int Size)
{
    /// <summary>True when the line must be answered: it names a method and carries an id.</summary>
    public bool IsRequest => Method != AgentMethod.None && IdLength > 0;
}
