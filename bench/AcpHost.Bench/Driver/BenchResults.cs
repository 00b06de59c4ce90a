namespace AcpHost.Bench.Driver;

/// <summary>Everything <c>--json</c> saves: the settings, the machine and every run's raw results.</summary>
internal sealed record BenchResults
{
    public required DateTimeOffset StartedAt { get; init; }

    public required string Machine { get; init; }

    public required int ProcessorCount { get; init; }

    public required string Runtime { get; init; }

    public required DriverOptions Options { get; init; }

    public required IReadOnlyList<RelayConfiguration> Configurations { get; init; }

    public required IReadOnlyList<RunResult> Runs { get; init; }
}
