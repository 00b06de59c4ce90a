using System.Diagnostics.Metrics;
using AcpHost.Events;
using AcpHost.Relay.Relay;

namespace AcpHost.Telemetry;

/// <summary>
/// The host's instruments on the <c>acphost</c> meter (plain <see cref="System.Diagnostics.Metrics"/>; the
/// OpenTelemetry SDK only reads them). Counters are added to by the one telemetry loop; the relay's counters and the
/// context fill are observed when the exporter collects, off the relay's threads.
/// </summary>
internal sealed class HostMetrics : IDisposable
{
    // Sessions whose fill is kept for the gauge; a host relays far fewer, the cap only bounds memory.
    private const int MaxSessions = 1024;

    private readonly Meter _meter;
    private readonly Counter<long> _compactions;
    private readonly Counter<long> _flattened;
    private readonly Histogram<long> _preTokens;
    private readonly Counter<long> _forks;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _coldTokens;
    private readonly ConcurrentDictionary<string, double> _fill = new(StringComparer.Ordinal);
    private readonly bool _perSession;

    /// <param name="perSession">One fill series per session (<c>Telemetry:PerSessionMetrics</c>) instead of the fullest live one.</param>
    /// <param name="relay">The relay's counters to report, if a relay runs in this process.</param>
    /// <param name="meterFactory">Where the meter comes from (a new one of its own when null).</param>
    public HostMetrics(bool perSession, RelayCounters? relay = null, IMeterFactory? meterFactory = null)
    {
        _perSession = perSession;
        _meter = meterFactory?.Create(TelemetryNames.Scope) ?? new Meter(TelemetryNames.Scope);
        _compactions = _meter.CreateCounter<long>(TelemetryNames.CompactionCount, "{compaction}", "Compactions, by trigger");
        _flattened = _meter.CreateCounter<long>(TelemetryNames.TokensFlattened, "{token}", "Tokens of context removed by compactions (pre minus post), by trigger");
        _preTokens = _meter.CreateHistogram<long>(
            TelemetryNames.PreTokensHistogram,
            "{token}",
            "Tokens of context before each compaction",
            tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = [.. TelemetryNames.PreTokenBuckets.Select(b => (long)b)] });
        _forks = _meter.CreateCounter<long>(TelemetryNames.ForkCount, "{fork}", "Session forks, by reason");
        _restarts = _meter.CreateCounter<long>(TelemetryNames.RestartCount, "{restart}", "Restarts of a dead agent");
        _coldTokens = _meter.CreateCounter<long>(TelemetryNames.CacheColdTokens, "{token}", "Tokens written to the prompt cache again by requests that found it cold, by reason");
        _meter.CreateObservableGauge(TelemetryNames.ContextFillGauge, ObserveFill, "1", "Context fill of live sessions (0-1): the fullest, or each with session.id when per-session metrics are on");
        if (relay is not null)
        {
            _meter.CreateObservableCounter(TelemetryNames.RelayMessages, () => Directions(relay.ClientMessages, relay.AgentMessages), "{message}", "Messages relayed, by direction received");
            _meter.CreateObservableCounter(TelemetryNames.RelayBytes, () => Directions(relay.ClientBytes, relay.AgentBytes), "By", "Bytes of the messages relayed (without line endings), by direction received");
        }
    }

    /// <summary>Counts one compaction, once (the record exported for it).</summary>
    public void Compaction(CompactionRecord compaction)
    {
        ArgumentNullException.ThrowIfNull(compaction);
        var trigger = new KeyValuePair<string, object?>(TelemetryNames.Trigger, compaction.Trigger ?? "unknown");
        _compactions.Add(1, trigger);
        if (compaction.PreTokens is { } pre)
        {
            _preTokens.Record(pre, trigger);
            if (compaction.PostTokens is { } post && pre > post)
            {
                _flattened.Add(pre - post, trigger);
            }
        }
    }

    /// <summary>Counts one fork.</summary>
    public void Fork(SessionForked fork)
    {
        ArgumentNullException.ThrowIfNull(fork);
        _forks.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Reason, fork.Reason));
    }

    /// <summary>Counts the tokens a cold request wrote again.</summary>
    public void Cold(CacheWentCold cold)
    {
        ArgumentNullException.ThrowIfNull(cold);
        _coldTokens.Add(cold.Request.CacheWrite, new KeyValuePair<string, object?>(TelemetryNames.Reason, cold.Request.Reason));
    }

    /// <summary>Counts one restart; the sessions it lost leave the gauge.</summary>
    public void Restart(AgentRestarted restart)
    {
        ArgumentNullException.ThrowIfNull(restart);
        _restarts.Add(1);
        foreach (string lost in restart.LostSessionIds)
        {
            _fill.TryRemove(lost, out _);
        }
    }

    /// <summary>Keeps a session's latest fill for the gauge.</summary>
    public void Fill(ContextFillChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (EventRecords.Fill(change.UsedTokens, change.ContextWindow) is not { } ratio)
        {
            return;
        }

        if (_fill.Count >= MaxSessions && !_fill.ContainsKey(change.SessionId))
        {
            _fill.Clear();
        }

        _fill[change.SessionId] = ratio;
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> ObserveFill()
    {
        if (_perSession)
        {
            return [.. _fill.Select(f => new Measurement<double>(f.Value, new KeyValuePair<string, object?>(TelemetryNames.SessionId, f.Key)))];
        }

        return _fill.IsEmpty ? [] : [new Measurement<double>(_fill.Values.Max())];
    }

    private static Measurement<long>[] Directions(long fromClient, long fromAgent) =>
    [
        new(fromClient, new KeyValuePair<string, object?>(TelemetryNames.Direction, TelemetryNames.ClientToAgent)),
        new(fromAgent, new KeyValuePair<string, object?>(TelemetryNames.Direction, TelemetryNames.AgentToClient)),
    ];
}
