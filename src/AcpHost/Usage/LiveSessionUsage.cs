using AcpHost.Storage.Transcripts;
using AcpHost.Events;

namespace AcpHost.Usage;

/// <summary>
/// One session's usage model as <see cref="LiveUsage"/> feeds it: the transcript's reader puts lines in, anyone may
/// take a <see cref="Snapshot"/>; when a read is over, the cold requests it found and the cache's new state are handed
/// back to <see cref="LiveUsage"/> to tell.
/// </summary>
internal sealed class LiveSessionUsage(SessionUsage usage, LiveUsage owner) : ITranscriptLineReader
{
    private readonly Lock _lock = new();
    private readonly List<ColdRequest> _found = [];
    private long _coldSeen;
    private DateTimeOffset? _cacheTold;

    /// <inheritdoc/>
    public void Take(ReadOnlySpan<byte> line)
    {
        lock (_lock)
        {
            usage.Feed(line);

            // A line adds at most one request: a cold one is the newest kept, taken now so that none is missed.
            if (usage.Totals.ColdRequests != _coldSeen)
            {
                _coldSeen = usage.Totals.ColdRequests;
                _found.Add(usage.Cold[^1]);
            }
        }
    }

    /// <inheritdoc/>
    public void ReadDone()
    {
        ColdRequest[] cold;
        CacheState? changed = null;
        lock (_lock)
        {
            cold = [.. _found];
            _found.Clear();

            if (usage.Cache is { } cache && cache.LastRequestAt != _cacheTold)
            {
                _cacheTold = cache.LastRequestAt;
                changed = cache;
            }
        }

        if (cold.Length > 0 || changed is not null)
        {
            owner.Learned(usage.SessionId, cold, changed);
        }
    }

    /// <summary>What the model knows now.</summary>
    public UsageSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new UsageSnapshot(usage.Cache, usage.Totals.ColdRequests, usage.Totals.ColdExtraCostUsd, usage.Cold.Count > 0 ? usage.Cold[^1] : null);
        }
    }
}
