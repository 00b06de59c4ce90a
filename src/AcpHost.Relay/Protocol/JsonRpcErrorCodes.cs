namespace AcpHost.Relay.Protocol;

/// <summary>The JSON-RPC error codes the host itself produces. protocol/README.md lists when each is used.</summary>
public static class JsonRpcErrorCodes
{
    /// <summary>The line is not valid JSON (or not valid UTF-8).</summary>
    public const int ParseError = -32700;

    /// <summary>Valid JSON, but not a JSON-RPC 2.0 message the host can relay.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method does not exist (used for host-owned extension methods).</summary>
    public const int MethodNotFound = -32601;

    /// <summary>The parameters are not what the method takes.</summary>
    public const int InvalidParams = -32602;

    /// <summary>The host could not get an answer: the agent exited, or the host failed.</summary>
    public const int InternalError = -32603;
}
