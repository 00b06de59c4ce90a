using AcpHost.Events;

namespace AcpHost.Features.Compaction;

/// <summary>What the tracker asks to be done with a record.</summary>
/// <param name="IsNew">True the first time a compaction is recorded (ledger, log line, client notification);
/// false for later facts about one already recorded (ledger only).</param>
/// <param name="Record">The record as now known.</param>
internal sealed record TrackerAction(bool IsNew, CompactionRecord Record);
