namespace AcpHost.Settings;

/// <summary>Top-level settings: where data lives, logging, tracing. Bound from the configuration root.</summary>
internal sealed class HostSettings
{
    /// <summary>The data directory, already resolved (see <see cref="DataDirectory"/>).</summary>
    public string DataDir { get; set; } = "";

    /// <summary>When set, every relayed message is written to this NDJSON file.</summary>
    public string? Trace { get; set; }
}
