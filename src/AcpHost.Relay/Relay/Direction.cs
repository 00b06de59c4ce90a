namespace AcpHost.Relay.Relay;

/// <summary>Which peer a message came from.</summary>
public enum Direction : byte
{
    /// <summary>From the client (the editor), bound for the agent.</summary>
    FromClient,

    /// <summary>From the agent, bound for the client.</summary>
    FromAgent,
}
