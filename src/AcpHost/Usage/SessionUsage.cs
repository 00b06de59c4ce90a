using AcpHost.Storage.Transcripts;
using AcpHost.Events;

namespace AcpHost.Usage;

/// <summary>
/// One session's usage, fed one transcript line (<see cref="Feed"/>) or one parsed request (<see cref="Add(in ModelRequest)"/>)
/// at a time, as a scan reads a file or a live host tails it: requests counted once per response, priced, and each
/// judged warm or cold against the request before it in its conversation (the main one, or a subagent's). Memory is
/// a few numbers per conversation, plus the cold requests themselves, plus, when asked for, the context series and cost
/// per day for a report.
/// </summary>
internal sealed class SessionUsage
{
    private readonly UsageSettings _settings;
    private readonly DateTimeOffset? _since;
    private readonly RequestChain _main = new();
    private readonly Dictionary<string, RequestChain> _subagents = new(StringComparer.Ordinal);
    private readonly List<ColdRequest> _cold = [];
    private readonly List<FillPoint>? _series;
    private readonly Dictionary<DateOnly, CostByKind>? _days;
    private readonly int _keptCold;
    private LineStrings _strings;
    private string? _pricedModel;
    private ModelPricing? _pricing;

    /// <param name="sessionId">The session.</param>
    /// <param name="settings">Prices and rules.</param>
    /// <param name="since">Only requests answered at or after it are counted; earlier ones still tell what the cache holds.</param>
    /// <param name="keepSeries">Also keep <see cref="Series"/> and <see cref="Days"/> (for a report).</param>
    /// <param name="keptCold">At most this many of the newest cold requests are kept in <see cref="Cold"/> (a live
    /// session's memory stays bounded); all are still counted in <see cref="Totals"/>.</param>
    public SessionUsage(string sessionId, UsageSettings settings, DateTimeOffset? since = null, bool keepSeries = false, int keptCold = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keptCold);
        _keptCold = keptCold;
        SessionId = sessionId;
        _settings = settings;
        _since = since;
        _series = keepSeries ? [] : null;
        _days = keepSeries ? [] : null;
    }

    /// <summary>The session.</summary>
    public string SessionId { get; }

    /// <summary>The first working directory a request of it recorded.</summary>
    public string? Cwd { get; private set; }

    /// <summary>What its requests add up to.</summary>
    public UsageTotals Totals { get; } = new();

    /// <summary>Its cold requests, in the order they came.</summary>
    public IReadOnlyList<ColdRequest> Cold => _cold;

    /// <summary>The context of each request of its main conversation, when kept.</summary>
    public IReadOnlyList<FillPoint> Series => _series ?? [];

    /// <summary>What it cost per UTC day, when kept.</summary>
    public IReadOnlyDictionary<DateOnly, CostByKind> Days => _days ?? [];

    /// <summary>The session it was forked from, when its transcript starts with a copy of another's history.</summary>
    public string? ForkedFrom { get; private set; }

    /// <summary>The time of the last request it copied from its parent: where in the parent it was forked.</summary>
    public DateTimeOffset? ForkPoint { get; private set; }

    /// <summary>True once any request line was added (before <c>since</c>, a fork's copies and subagents' included).</summary>
    public bool AnyRequest => _main.LastAt is not null || _subagents.Count > 0;

    /// <summary>The main conversation's cache after its last request; null before any.</summary>
    public CacheState? Cache => _main.LastAt is { } at
        ? new CacheState(at, _main.Ttl(_settings.Rules), _main.OneHourCache, _main.LastModel, _main.LastContext, Price(_main.LastModel, _main.LastContext))
        : null;

    /// <summary>
    /// Takes one transcript line: a request is added, a compaction boundary noted; anything else (another kind of
    /// line, a torn or malformed one) is ignored. True when the line was a request or a boundary.
    /// </summary>
    public bool Feed(ReadOnlySpan<byte> line)
    {
        try
        {
            if (TranscriptBoundaryParser.TryParse(line) is not null)
            {
                Compacted();
                return true;
            }

            if (TranscriptUsageParser.MayHaveUsage(line) && TranscriptUsageParser.TryParse(line, ref _strings, out ModelRequest request))
            {
                Add(request);
                return true;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A line being written, or damaged: it says nothing this can use.
        }

        return false;
    }

    /// <summary>Notes a compaction: the next request of each conversation rewrites its context.</summary>
    public void Compacted()
    {
        _main.CompactedSince = true;
        foreach (RequestChain chain in _subagents.Values)
        {
            chain.CompactedSince = true;
        }
    }

    /// <summary>Adds one request (or another line of a response already added, whose larger counts are taken).</summary>
    public void Add(in ModelRequest request)
    {
        Cwd ??= request.Cwd;
        RequestChain chain = ChainOf(request);
        if (chain.TryFold(request, out TokenCounts more, out long foldedContext, out string? foldedModel, out bool counted))
        {
            if (counted && !more.IsZero)
            {
                CostByKind? grown = Price(foldedModel, foldedContext)?.Cost(more);
                Totals.Grow(more, foldedContext, foldedModel, grown);
                AddToDay(request.At, grown);
            }

            return;
        }

        if (request.ForkedFrom is { } parent)
        {
            ForkedFrom ??= parent.Length > 0 ? parent : null;
            ForkPoint = ForkPoint > request.At ? ForkPoint : request.At;
            chain.Observe(request, counted: false);
            return;
        }

        long context = request.Tokens.Context;
        ModelPrice? price = Price(request.Model, context);
        CostByKind? cost = price?.Cost(request.Tokens);
        ColdRequest? cold = null;
        if (chain.LastAt is { } previous && context >= UsageRules.ColdMinContext && request.Tokens.CacheRead < UsageRules.ColdReadShare * context)
        {
            cold = new ColdRequest(request.At, chain.Reason(request, _settings.Rules), previous, context, request.Tokens.CacheWrite, price?.ColdExtra(request.Tokens), cost?.Total, request.Model, request.Sidechain);
            cost = cost is { } total ? total with { ColdCacheWrite = total.CacheWrite } : null;
        }

        bool inRange = _since is not { } since || request.At >= since;
        chain.Observe(request, inRange);
        if (!inRange)
        {
            return;
        }

        Totals.Count(request.Tokens, request.Sidechain, request.Model, cost);
        if (cold is not null)
        {
            Totals.Cold(cold);
            if (_cold.Count == _keptCold)
            {
                _cold.RemoveAt(0);
            }

            _cold.Add(cold);
        }

        if (!request.Sidechain)
        {
            _series?.Add(new FillPoint(request.At, context));
        }

        AddToDay(request.At, cost);
    }

    /// <summary>Adds what <paramref name="other"/>, the same session read from another file, counted.</summary>
    public void Add(SessionUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Cwd ??= other.Cwd;
        Totals.Add(other.Totals);
        _cold.AddRange(other._cold);
        _series?.AddRange(other.Series);
        foreach ((DateOnly day, CostByKind cost) in other.Days)
        {
            _days?[day] = _days.GetValueOrDefault(day).Plus(cost);
        }

        ForkedFrom ??= other.ForkedFrom;
        ForkPoint = ForkPoint > other.ForkPoint ? ForkPoint : other.ForkPoint ?? ForkPoint;
    }

    private void AddToDay(DateTimeOffset at, CostByKind? cost)
    {
        if (_days is not null && cost is { } spent)
        {
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            _days[day] = _days.GetValueOrDefault(day).Plus(spent);
        }
    }

    private RequestChain ChainOf(in ModelRequest request)
    {
        if (!request.Sidechain)
        {
            return _main;
        }

        string key = request.AgentId ?? "";
        if (!_subagents.TryGetValue(key, out RequestChain? chain))
        {
            chain = new RequestChain();
            _subagents.Add(key, chain);
        }

        return chain;
    }

    // A session's requests name one or two models: the last one's prices are kept at hand.
    private ModelPrice? Price(string? model, long context)
    {
        if (!ReferenceEquals(model, _pricedModel))
        {
            _pricedModel = model;
            _pricing = _settings.Prices.Find(model);
        }

        return _pricing?.For(context);
    }
}
