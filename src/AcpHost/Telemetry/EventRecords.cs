using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AcpHost.Events;

namespace AcpHost.Telemetry;

/// <summary>
/// Turns the host's typed events into the records exported for them: one per fact, named and attributed as
/// docs/telemetry.md lists (<c>session.id</c> on each). Unknown numbers are left out rather than sent as zero.
/// </summary>
internal static class EventRecords
{
    /// <summary>
    /// A compaction (merged with its later counts, see <see cref="CompactionHold"/>), with what its summary no longer
    /// names as counts per kind (<c>flattened.files.seen</c>, <c>flattened.files.dropped</c>, …); the dropped names
    /// themselves (<c>flattened.files.names</c>, …) only with <paramref name="includeCwd"/>: paths, commands and URLs
    /// are personal data, as the working directory is.
    /// </summary>
    public static TelemetryRecord Compaction(CompactionRecord compaction, bool includeCwd = false)
    {
        ArgumentNullException.ThrowIfNull(compaction);
        var attributes = Start(TelemetryNames.CompactionEvent, compaction.At, compaction.SessionId);
        Add(attributes, TelemetryNames.Trigger, compaction.Trigger);
        Add(attributes, TelemetryNames.PreTokens, compaction.PreTokens);
        Add(attributes, TelemetryNames.PostTokens, compaction.PostTokens);
        Add(attributes, TelemetryNames.DurationMs, compaction.DurationMs);
        Add(attributes, TelemetryNames.ContextWindow, compaction.ContextWindow);
        Add(attributes, TelemetryNames.Source, compaction.Source);
        Add(attributes, TelemetryNames.CompactionId, compaction.Id);
        Add(attributes, TelemetryNames.BoundaryUuid, compaction.BoundaryUuid);
        foreach ((string kind, FlattenedKind counts) in compaction.Flattened?.Kinds ?? [])
        {
            string prefix = TelemetryNames.FlattenedPrefix + kind;
            Add(attributes, prefix + ".seen", (long)counts.Seen);
            Add(attributes, prefix + ".dropped", (long)counts.Dropped);
            if (includeCwd && counts.Items.Count > 0)
            {
                Add(attributes, prefix + ".names", counts.Items.Select(i => i.Name).ToArray());
            }
        }

        return new TelemetryRecord(TelemetryNames.CompactionEvent, compaction.At, attributes);
    }

    /// <summary>A fork, with the parent's fill at fork time.</summary>
    public static TelemetryRecord Fork(SessionForked fork)
    {
        ArgumentNullException.ThrowIfNull(fork);
        var attributes = Start(TelemetryNames.ForkEvent, fork.At, fork.SessionId);
        Add(attributes, TelemetryNames.ParentSessionId, fork.ParentSessionId);
        Add(attributes, TelemetryNames.Reason, fork.Reason);
        Add(attributes, TelemetryNames.UsedTokens, fork.UsedTokens);
        Add(attributes, TelemetryNames.ContextWindow, fork.ContextWindow);
        Add(attributes, TelemetryNames.ContextFill, Fill(fork.UsedTokens, fork.ContextWindow));
        return new TelemetryRecord(TelemetryNames.ForkEvent, fork.At, attributes);
    }

    /// <summary>
    /// An agent restart. It concerns every session of the host, not one, so <c>session.id</c> is empty; the lost
    /// sessions are listed by id.
    /// </summary>
    public static TelemetryRecord Restart(AgentRestarted restart)
    {
        ArgumentNullException.ThrowIfNull(restart);
        var attributes = Start(TelemetryNames.RestartEvent, restart.At, "");
        Add(attributes, TelemetryNames.Attempt, (long)restart.Attempt);
        Add(attributes, TelemetryNames.ExitCode, (long)restart.ExitCode);
        Add(attributes, TelemetryNames.SessionsResumed, (long)restart.SessionsResumed);
        Add(attributes, TelemetryNames.SessionsLost, (long)restart.LostSessionIds.Count);
        if (restart.LostSessionIds.Count > 0)
        {
            Add(attributes, "lost.session.ids", string.Join(',', restart.LostSessionIds));
        }

        return new TelemetryRecord(TelemetryNames.RestartEvent, restart.At, attributes);
    }

    /// <summary>A session opened; its working directory hashed unless <paramref name="includeCwd"/>.</summary>
    public static TelemetryRecord Open(SessionOpened open, bool includeCwd)
    {
        ArgumentNullException.ThrowIfNull(open);
        var attributes = Start(TelemetryNames.OpenEvent, open.At, open.SessionId);
        Add(attributes, TelemetryNames.OpenedBy, open.OpenedBy);
        Add(attributes, TelemetryNames.ParentSessionId, open.ParentSessionId);
        if (includeCwd)
        {
            Add(attributes, TelemetryNames.Cwd, open.Cwd);
        }
        else if (open.Cwd.Length > 0)
        {
            // A hash still lets a team count sessions per project without learning the project's path.
            Add(attributes, TelemetryNames.CwdHash, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(open.Cwd))));
        }

        return new TelemetryRecord(TelemetryNames.OpenEvent, open.At, attributes);
    }

    /// <summary>
    /// A request that found the prompt cache cold: why, after how long a gap, how much it wrote again and what that cost
    /// beyond a warm cache (left out for a model without a price).
    /// </summary>
    public static TelemetryRecord Cold(CacheWentCold cold)
    {
        ArgumentNullException.ThrowIfNull(cold);
        ColdRequest request = cold.Request;
        var attributes = Start(TelemetryNames.CacheColdEvent, request.At, cold.SessionId);
        Add(attributes, TelemetryNames.Reason, request.Reason);
        Add(attributes, TelemetryNames.GapSeconds, Math.Round(request.Gap.TotalSeconds, 3));
        Add(attributes, TelemetryNames.ContextTokens, request.Context);
        Add(attributes, TelemetryNames.CacheWriteTokens, request.CacheWrite);
        Add(attributes, TelemetryNames.ExtraCostUsd, request.ExtraCostUsd is { } extra ? Math.Round(extra, 6) : null);
        Add(attributes, TelemetryNames.Model, request.Model);
        return new TelemetryRecord(TelemetryNames.CacheColdEvent, request.At, attributes);
    }

    /// <summary>Fill as a ratio 0–1, or null when either number is unknown.</summary>
    public static double? Fill(long? used, long? window) =>
        used is { } u && window is { } w && w > 0 ? Math.Clamp((double)u / w, 0, 1) : null;

    private static List<KeyValuePair<string, object?>> Start(string name, DateTimeOffset at, string sessionId) =>
    [
        new(TelemetryNames.EventName, name),
        new(TelemetryNames.EventTimestamp, at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        new(TelemetryNames.SessionId, sessionId),
    ];

    private static void Add(List<KeyValuePair<string, object?>> attributes, string name, object? value)
    {
        if (value is not null)
        {
            attributes.Add(new(name, value));
        }
    }
}
