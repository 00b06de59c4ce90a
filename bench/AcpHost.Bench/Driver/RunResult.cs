using System.Text.Json.Serialization;

namespace AcpHost.Bench.Driver;

/// <summary>What one run of one configuration measured. A run that failed has <see cref="Error"/> set and no metrics.</summary>
internal sealed record RunResult
{
    /// <summary>The configuration's name.</summary>
    public required string Configuration { get; init; }

    /// <summary>Which repetition this was, from 1.</summary>
    public required int Iteration { get; init; }

    /// <summary>Why the run failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>From spawning the first process to reading the <c>initialize</c> response.</summary>
    public double StartupMs { get; init; }

    /// <summary>The relay's resident set a second after start-up, with one session open and no traffic; null without a relay.</summary>
    public long? RelayIdleRssKiB { get; init; }

    /// <summary>Median <c>bench/ping</c> round trip.</summary>
    public double PingP50Us { get; init; }

    /// <summary>99th percentile <c>bench/ping</c> round trip.</summary>
    public double PingP99Us { get; init; }

    /// <summary>Mean <c>bench/ping</c> round trip.</summary>
    public double PingMeanUs { get; init; }

    /// <summary>The relay process's CPU time (user and system) per ping, over all the pings; null without a relay.</summary>
    public double? RelayCpuPerPingUs { get; init; }

    /// <summary>The relay process's CPU time per message of the small flood, in nanoseconds; null without a relay.</summary>
    public double? RelayCpuPerSmallMessageNs { get; init; }

    /// <summary>The relay process's CPU time per conversation turn (the peak-RSS reads included); null without a relay.</summary>
    public double? RelayCpuPerPromptUs { get; init; }

    /// <summary>Small-message flood: notifications per second, request to response.</summary>
    public double SmallMessagesPerSecond { get; init; }

    /// <summary>Small-message flood: megabytes (10^6 bytes) per second.</summary>
    public double SmallMegabytesPerSecond { get; init; }

    /// <summary>Large-message flood: notifications per second.</summary>
    public double LargeMessagesPerSecond { get; init; }

    /// <summary>Large-message flood: megabytes (10^6 bytes) per second.</summary>
    public double LargeMegabytesPerSecond { get; init; }

    /// <summary>Median <c>session/prompt</c> turn, request to <c>end_turn</c> response.</summary>
    public double PromptP50Us { get; init; }

    /// <summary>99th percentile <c>session/prompt</c> turn.</summary>
    public double PromptP99Us { get; init; }

    /// <summary>The relay's peak resident set after the pings and floods, before the measured turns; null without a relay.</summary>
    public long? RelayPeakRssBeforePromptsKiB { get; init; }

    /// <summary>The relay's peak resident set after a third of the measured turns; null without a relay.</summary>
    public long? RelayPeakRssAfterThirdKiB { get; init; }

    /// <summary>The relay process's peak resident set (VmHWM) at the end of the run; null without a relay.</summary>
    public long? RelayPeakRssKiB { get; init; }

    /// <summary>True when the run completed and its metrics count.</summary>
    [JsonIgnore]
    public bool Succeeded => Error is null;
}
