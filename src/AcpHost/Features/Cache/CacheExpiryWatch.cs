using System.Globalization;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Cache;

/// <summary>
/// The "cache about to go cold" notice (<see cref="NoticeKind.CacheExpiry"/>, off by default). When a read of a
/// session's transcript shows a new model request (<see cref="LiveUsage.CacheChanged"/>, after each turn) and the
/// session's context is at least <c>Notices:CacheExpiryMinTokens</c>, one timer is armed for the session; the session's
/// next prompt disarms it, a newer request re-arms it. Nothing runs between: no timer for a session below the size, for
/// an idle host, or with the notice off. The timer fires <see cref="Lead"/> before the cache expires for a client that
/// shows notices (the user can still prompt in time); for one that shows them only inside a turn the notice could only
/// come in the next turn, after the fact, so it fires when the cache has expired and says that the prompt it comes
/// with writes the context again.
/// </summary>
internal sealed partial class CacheExpiryWatch : IMessageInterceptor, IDisposable
{
    /// <summary>The context below which no notice is worth it, unless <c>Notices:CacheExpiryMinTokens</c> says otherwise.</summary>
    public const long DefaultMinTokens = 200_000;

    private const string MinTokensKey = "Notices:CacheExpiryMinTokens";

    private static readonly TimeSpan MaxLead = TimeSpan.FromMinutes(5);

    private readonly LiveUsage _usage;
    private readonly INotices _notices;
    private readonly ClientProfile _profile;
    private readonly SessionTurns _turns;
    private readonly TimeProvider _time;
    private readonly long _minTokens;
    private readonly ILogger<CacheExpiryWatch> _log;
    private readonly bool _on;
    private readonly Dictionary<string, Armed> _armed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Watches the sessions' caches when the notice is on.</summary>
    /// <param name="usage">The sessions' live usage.</param>
    /// <param name="notices">Where the notice goes.</param>
    /// <param name="profile">Whether the client shows notices outside a turn.</param>
    /// <param name="turns">Which sessions are in a turn.</param>
    /// <param name="time">The clock the timers run on.</param>
    /// <param name="minTokens">The smallest context warned about.</param>
    /// <param name="log">The log.</param>
    public CacheExpiryWatch(LiveUsage usage, INotices notices, ClientProfile profile, SessionTurns turns, TimeProvider time, long minTokens, ILogger<CacheExpiryWatch> log)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(notices);
        (_usage, _notices, _profile, _turns, _time, _minTokens, _log) = (usage, notices, profile, turns, time, minTokens, log);
        _on = notices.IsOn(NoticeKind.CacheExpiry);
        if (_on)
        {
            usage.CacheChanged += Arm;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <summary>How long before the cache expires the notice comes: a fifth of its lifetime, at most 5 minutes (1 min of 5 min, 5 min of 1 h).</summary>
    public static TimeSpan Lead(TimeSpan ttl) => ttl / 5 < MaxLead ? ttl / 5 : MaxLead;

    /// <summary><c>Notices:CacheExpiryMinTokens</c>; a value that is not a whole number of tokens stops the host, naming it.</summary>
    public static long MinTokensFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? text = configuration[MinTokensKey];
        return text is null ? DefaultMinTokens
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long tokens) ? tokens
            : throw new InvalidOperationException($"{MinTokensKey} must be a whole number of tokens, not '{text}'");
    }

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) => _on;

    /// <inheritdoc/>
    /// <remarks>A prompt uses the cache (warm or not): the session's timer is no longer owed.</remarks>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request && TurnFields.SessionIdOf(context.Line.Span) is { } sessionId)
        {
            Disarm(sessionId);
        }

        return ValueTask.FromResult(InterceptResult.Forward);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _usage.CacheChanged -= Arm;
        lock (_lock)
        {
            foreach (Armed armed in _armed.Values)
            {
                armed.Timer?.Dispose();
            }

            _armed.Clear();
        }
    }

    /// <summary>The session's cache now holds <paramref name="cache"/>: (re)arms its timer, or disarms it for a small context.</summary>
    internal void Arm(string sessionId, CacheState cache)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (cache.Context < _minTokens || !cache.IsWarmAt(now))
        {
            Disarm(sessionId);
            return;
        }

        bool ahead = _profile.ShowsNotices;
        DateTimeOffset fireAt = ahead ? cache.ExpiresAt - Lead(cache.Ttl) : cache.ExpiresAt + TimeSpan.FromMilliseconds(1);
        TimeSpan due = fireAt > now ? fireAt - now : TimeSpan.Zero;
        var armed = new Armed(sessionId, cache, ahead);
        lock (_lock)
        {
            if (_armed.Remove(sessionId, out Armed? before))
            {
                before.Timer?.Dispose();
            }

            _armed[sessionId] = armed;
            armed.Timer = _time.CreateTimer(_ => Fire(armed), null, due, Timeout.InfiniteTimeSpan);
        }

        TimerArmed(_log, sessionId, cache.Context, fireAt);
    }

    private void Disarm(string sessionId)
    {
        lock (_lock)
        {
            if (_armed.Remove(sessionId, out Armed? armed))
            {
                armed.Timer?.Dispose();
            }
        }
    }

    private void Fire(Armed armed)
    {
        lock (_lock)
        {
            if (!_armed.TryGetValue(armed.SessionId, out Armed? current) || !ReferenceEquals(current, armed))
            {
                return;
            }

            _armed.Remove(armed.SessionId);
            armed.Timer?.Dispose();
        }

        // A turn that runs makes its own requests; one newer than the timer's was read and armed another timer.
        if (_turns.IsInTurn(armed.SessionId) || _usage.Of(armed.SessionId)?.Cache?.LastRequestAt > armed.Cache.LastRequestAt)
        {
            return;
        }

        HostNotice notice = CacheExpiryText.For(armed.SessionId, armed.Cache, armed.Ahead, _time.GetUtcNow());
        _ = PostAsync(notice);
    }

    private async Task PostAsync(HostNotice notice)
    {
        try
        {
            await _notices.PostAsync(notice, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A notice that cannot go out must not take the timer's thread down with it.
            NoticeFailed(_log, ex, notice.SessionId);
        }
    }

    /// <summary>One session's armed timer, for the cache after one request.</summary>
    private sealed class Armed(string sessionId, CacheState cache, bool ahead)
    {
        public string SessionId { get; } = sessionId;

        public CacheState Cache { get; } = cache;

        public bool Ahead { get; } = ahead;

        public ITimer? Timer { get; set; }
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Debug, Message = "Cache-expiry notice for session {SessionId} ({Context} tokens of context) due at {DueAt:o}")]
    private static partial void TimerArmed(ILogger logger, string sessionId, long context, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "The cache-expiry notice for session {SessionId} could not be posted")]
    private static partial void NoticeFailed(ILogger logger, Exception exception, string sessionId);
}
