namespace AcpHost.Control;

/// <summary>
/// A control endpoint answered a request with a JSON-RPC error: a bad request, an unknown session, or the agent's own
/// refusal (for <c>session/fork</c>), with the error's code, message and data as the host sent them.
/// </summary>
internal sealed class ControlErrorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlErrorException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ControlErrorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ControlErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an error answer.</summary>
    public ControlErrorException(int code, string message, JsonElement? data)
        : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    /// <summary>The JSON-RPC error code (<see cref="ControlErrorCodes"/>, or the agent's).</summary>
    public int Code { get; }

    /// <summary>The error's <c>data</c>, if it had any.</summary>
    public JsonElement? ErrorData { get; }
}
