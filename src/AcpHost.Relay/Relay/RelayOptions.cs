namespace AcpHost.Relay.Relay;

/// <summary>Limits and timings of the relay. Bound from the <c>Relay</c> configuration section.</summary>
public sealed class RelayOptions
{
    /// <summary>
    /// The longest line accepted from either side, in bytes. A longer one is dropped with an error (to the client) or
    /// a log line (from the agent), and its bytes are not kept, so memory stays bounded. Default 128 MiB: well above
    /// the multi-MiB tool results agents send.
    /// </summary>
    public long MaxMessageBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>How long the agent may take to exit after its stdin is closed before it is killed. Default 5 s.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the agent dies, how long its last output may take to arrive (a killed process can leave buffered
    /// bytes in the pipe). Default 2 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// While the agent restarts, how long a client message waits for it before a request is answered with an error
    /// (and a notification dropped). Default 60 s.
    /// </summary>
    public TimeSpan RestartWaitTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long restoring a restarted agent (initialize, sessions) may take. Default 60 s.</summary>
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
