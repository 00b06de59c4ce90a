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
    /// How long the host may take to end once it has begun to (told to stop, or the client gone), whatever its peers
    /// do: <see cref="ShutdownGrace"/> for the agent, and a second for everything after it (the agent's last output,
    /// the errors owed to the client, the ledgers' last records).
    /// </summary>
    public TimeSpan ShutdownBound => ShutdownGrace + TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// How long a request of the host's own (a fork) waits for the agent's answer before the host gives up, tells the
    /// agent with the dialect's cancel notification, and answers whoever asked with an error. Default 60 s.
    /// </summary>
    public TimeSpan HostRequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long restoring a restarted agent (initialize, sessions) may take. Default 60 s.</summary>
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The most <see cref="ReadSpinMicroseconds"/> accepts: beyond this the wait stops being "short".</summary>
    public const int MaxReadSpinMicroseconds = 1000;

    /// <summary>
    /// Before each blocking read of either side, how long the reading thread keeps its CPU awake waiting for data
    /// (polling, yielding to anyone else runnable) instead of sleeping at once. Default 50 µs: the wait that took the
    /// most off the benchmark's ping latency (25 to 30 µs helped p50 as much but not p99; 100 µs took CPU the agent and
    /// the editor needed on two cores). 0 turns it off. See <c>Transport.ReadinessSpin</c>.
    /// </summary>
    public int ReadSpinMicroseconds { get; set; } = 50;

    /// <summary><see cref="ReadSpinMicroseconds"/> as a time span.</summary>
    public TimeSpan ReadSpin => TimeSpan.FromMicroseconds(ReadSpinMicroseconds);

    /// <summary>
    /// Whether the host gives the kernel back, once start-up is over, the pages of its own files that only start-up used
    /// (<see cref="Platform.ImagePages"/>). Default true; Linux only.
    /// </summary>
    public bool ReleaseStartupPages { get; set; } = true;
}
