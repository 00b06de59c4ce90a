using AcpHost.Events;

namespace AcpHost.Usage;

/// <summary>What a live session's usage model knows at one moment (<see cref="LiveUsage.Of"/>).</summary>
/// <param name="Cache">The main conversation's prompt cache after its last request; null before any was seen.</param>
/// <param name="ColdRequests">Requests of the session that found the cache cold since the host began following it.</param>
/// <param name="ColdExtraCostUsd">What those cost beyond the same requests served warm (priced ones only).</param>
/// <param name="LastCold">The newest of them, if any.</param>
internal sealed record UsageSnapshot(CacheState? Cache, long ColdRequests, double ColdExtraCostUsd, ColdRequest? LastCold);
