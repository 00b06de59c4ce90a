namespace AcpHost.Relay.Relay;

/// <summary>The agent exited (or stopped reading) before it could answer a request of the host's.</summary>
public sealed class AgentUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message for people.</summary>
    public AgentUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AgentUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
