using AcpHost.Events;
using AcpHost.Storage.Transcripts;
namespace AcpHost.Usage;

/// <summary>
/// Each relayed session's usage model (<see cref="SessionUsage"/>, the one <c>acphost usage</c> counts with), fed live
/// from the lines of its transcript as the host follows it (<see cref="ITranscriptFollower"/>): what its prompt cache
/// holds and until when, and each request that found the cache cold, published as <see cref="CacheWentCold"/> once the
/// read that found it is over. Memory per session is the model's few numbers per conversation and at most
/// <see cref="KeptCold"/> cold requests. Thread-safe.
/// </summary>
/// <param name="settings">Prices and cache lifetimes (<c>Pricing:Models:…</c>, <c>Usage:CacheTtl5m</c>, <c>Usage:CacheTtl1h</c>).</param>
/// <param name="events">Where cold requests are published.</param>
internal sealed class LiveUsage(UsageSettings settings, HostEventBus? events = null) : ITranscriptFollower
{
    /// <summary>The newest cold requests kept per session; older ones are only counted.</summary>
    public const int KeptCold = 16;

    private readonly ConcurrentDictionary<string, LiveSessionUsage> _sessions = new(StringComparer.Ordinal);

    /// <summary>
    /// Raised after a read of a session's transcript found a newer model request of its main conversation, with what
    /// its cache now holds; on the thread that read the file (never a relay pump). Handlers must be quick.
    /// </summary>
    public event Action<string, CacheState>? CacheChanged;

    /// <summary>The prices and rules the sessions are counted with.</summary>
    public UsageSettings Settings => settings;

    /// <inheritdoc/>
    /// <remarks>
    /// A session is followed from the moment the host first sees it: requests of its transcript from before that (a
    /// resumed session's history) are neither counted nor known, so the first request after it is never called cold
    /// here (<c>acphost usage</c>, reading the whole file, judges it).
    /// </remarks>
    public ITranscriptLineReader? ReaderFor(string sessionId, DateTimeOffset openedAt) =>
        _sessions.GetOrAdd(sessionId, id => new LiveSessionUsage(new SessionUsage(id, settings, openedAt - TranscriptTail.ClockSkew, keptCold: KeptCold), this));

    /// <summary>What the session's usage model knows now; null for a session not followed.</summary>
    public UsageSnapshot? Of(string sessionId) => _sessions.TryGetValue(sessionId, out LiveSessionUsage? live) ? live.Snapshot() : null;

    /// <summary>Called by a session's reader once a read is over, outside its lock.</summary>
    internal void Learned(string sessionId, IReadOnlyList<ColdRequest> cold, CacheState? changed)
    {
        foreach (ColdRequest request in cold)
        {
            events?.Publish(new CacheWentCold { SessionId = sessionId, Request = request, At = request.At });
        }

        if (changed is not null)
        {
            CacheChanged?.Invoke(sessionId, changed);
        }
    }
}
