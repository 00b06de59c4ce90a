namespace AcpHost.Bench.Driver;

/// <summary>One row of the report: how to read a metric from a run and how to print it.</summary>
/// <param name="Label">The row's label.</param>
/// <param name="Value">The metric of one successful run; null where it does not apply (no relay, no RSS).</param>
/// <param name="Format">The numeric format of the median.</param>
internal sealed record ReportMetric(string Label, Func<RunResult, double?> Value, string Format)
{
    /// <summary>The rows, in the order they are printed.</summary>
    public static IReadOnlyList<ReportMetric> All { get; } =
    [
        new("small flood, msgs/s", r => r.SmallMessagesPerSecond, "N0"),
        new("small flood, MB/s", r => r.SmallMegabytesPerSecond, "N1"),
        new("relay CPU per small-flood message, ns", r => r.RelayCpuPerSmallMessageNs, "N0"),
        new("large flood, MB/s", r => r.LargeMegabytesPerSecond, "N1"),
        new("large flood, msgs/s", r => r.LargeMessagesPerSecond, "N0"),
        new("ping p50, µs", r => r.PingP50Us, "N1"),
        new("ping p99, µs", r => r.PingP99Us, "N1"),
        new("relay CPU per ping, µs", r => r.RelayCpuPerPingUs, "N1"),
        new("startup to initialize, ms", r => r.StartupMs, "N1"),
        new("relay RSS idle after start-up, MiB", r => r.RelayIdleRssKiB / 1024.0, "N1"),
        new("prompt turn p50, µs", r => r.PromptP50Us, "N1"),
        new("prompt turn p99, µs", r => r.PromptP99Us, "N1"),
        new("relay CPU per prompt turn, µs", r => r.RelayCpuPerPromptUs, "N1"),
        new("relay peak RSS before the turns, MiB", r => r.RelayPeakRssBeforePromptsKiB / 1024.0, "N1"),
        new("relay peak RSS after 1/3 of the turns, MiB", r => r.RelayPeakRssAfterThirdKiB / 1024.0, "N1"),
        new("relay peak RSS, MiB", r => r.RelayPeakRssKiB / 1024.0, "N1"),
    ];
}
