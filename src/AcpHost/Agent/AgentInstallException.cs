namespace AcpHost.Agent;

/// <summary>The agent could not be installed or found; the message tells a person what to do.</summary>
internal sealed class AgentInstallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentInstallException()
    {
    }

    /// <summary>Creates the exception with a message for people.</summary>
    public AgentInstallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AgentInstallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
