namespace AcpHost.Telemetry;

/// <summary>What a backfill did.</summary>
/// <param name="Sent">Compactions the collector took.</param>
/// <param name="AlreadySent">Compactions skipped because an earlier run sent them.</param>
/// <param name="Failed">The collector did not take a batch (the rest was not sent, and will be next time).</param>
internal sealed record BackfillResult(int Sent, int AlreadySent, bool Failed)
{
    /// <summary>Why it failed, as the exporter said.</summary>
    public string? Reason { get; init; }
}
