namespace AcpHost.Control;

/// <summary>Error codes of the control endpoint beyond JSON-RPC's own.</summary>
internal static class ControlErrorCodes
{
    /// <summary>The session is not relayed by this host (the same code ACP agents use for an unknown session).</summary>
    public const int SessionNotFound = -32002;
}
