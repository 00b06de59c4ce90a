namespace AcpHost.Relay.Relay;

/// <summary>Why the relay stopped.</summary>
public enum RelayEnd : byte
{
    /// <summary>The client closed its input (or stopped reading output): a normal end.</summary>
    ClientClosed,

    /// <summary>The host was asked to stop (SIGTERM, SIGINT): a normal end.</summary>
    Stopped,

    /// <summary>The agent exited or closed its output while the client was still there.</summary>
    AgentLost,
}
