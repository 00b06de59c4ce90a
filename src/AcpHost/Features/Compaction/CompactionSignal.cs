using AcpHost.Events;

namespace AcpHost.Features.Compaction;

/// <summary>One live report of a compaction, read off the wire.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Source">Which signal (<see cref="Events.CompactionSources"/>).</param>
/// <param name="Key">The tool call or compaction id that ties its reports together; null for signals without one.</param>
/// <param name="Phase">Begun, part of it, or ended.</param>
/// <param name="Facts">What it says.</param>
internal sealed record CompactionSignal(string SessionId, string Source, string? Key, SignalPhase Phase, CompactionFacts Facts);
