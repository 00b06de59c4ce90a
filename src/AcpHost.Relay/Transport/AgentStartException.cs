namespace AcpHost.Relay.Transport;

/// <summary>The agent could not be started at all (missing executable, no permission).</summary>
public sealed class AgentStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentStartException()
    {
    }

    /// <summary>Creates the exception with a message for people.</summary>
    public AgentStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AgentStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
