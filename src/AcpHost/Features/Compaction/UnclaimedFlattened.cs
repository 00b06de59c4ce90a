using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Features.Compaction;

/// <summary>
/// What a summary no longer names, read before the tracker knew the boundary it belongs to (the two follow the
/// transcript apart): kept until that boundary comes, a few per session. Used under the tracker's lock.
/// </summary>
internal sealed class UnclaimedFlattened
{
    private const int KeptPerSession = 8;

    private readonly Dictionary<string, List<(string Uuid, FlattenedSpecifics Flattened)>> _bySession = new(StringComparer.Ordinal);

    /// <summary>Keeps it for the boundary <paramref name="boundary"/> (one without a uuid could never be claimed).</summary>
    public void Keep(string sessionId, TranscriptBoundary boundary, FlattenedSpecifics flattened)
    {
        if (boundary.Uuid is not { } uuid)
        {
            return;
        }

        if (!_bySession.TryGetValue(sessionId, out var kept))
        {
            _bySession[sessionId] = kept = [];
        }

        kept.Add((uuid, flattened));
        if (kept.Count > KeptPerSession)
        {
            kept.RemoveAt(0);
        }
    }

    /// <summary>What was kept for the boundary <paramref name="boundaryUuid"/>, taken out; null when nothing was.</summary>
    public FlattenedSpecifics? Claim(string sessionId, string? boundaryUuid)
    {
        if (boundaryUuid is null || !_bySession.TryGetValue(sessionId, out var kept) || kept.FindIndex(k => k.Uuid == boundaryUuid) is not (>= 0 and var at))
        {
            return null;
        }

        FlattenedSpecifics flattened = kept[at].Flattened;
        kept.RemoveAt(at);
        return flattened;
    }
}
