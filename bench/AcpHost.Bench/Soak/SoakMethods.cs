namespace AcpHost.Bench.Soak;

/// <summary>The methods the soak driver and the soak agent speak, through the relay under test.</summary>
internal static class SoakMethods
{
    /// <summary>Client → agent request <c>{session, seq, delayMs, reply, payload}</c>, answered after delayMs with <c>{session, seq, payload}</c> of reply characters, or -32800 when cancelled first.</summary>
    public const string Echo = "soak/echo";

    /// <summary>Client → agent notification <c>{session, seq, payload}</c>.</summary>
    public const string Tell = "soak/tell";

    /// <summary>Agent → client notification <c>{session, seq, payload}</c>.</summary>
    public const string Note = "soak/note";

    /// <summary>Agent → client request <c>{session, seq, reply}</c>, answered with <c>{payload}</c> of reply characters.</summary>
    public const string Ask = "soak/ask";

    /// <summary>Client → agent request at the end: the agent's counts (<see cref="SoakAgentReport"/>).</summary>
    public const string Report = "soak/report";

    /// <summary>JSON-RPC's "request cancelled".</summary>
    public const int Cancelled = -32800;
}
