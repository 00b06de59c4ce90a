using AcpHost.Storage.Transcripts;

namespace AcpHost.Usage;

/// <summary>
/// One conversation's run of requests, each resending the one before it: a session's main conversation, or one
/// subagent's. It knows what the prompt cache holds after its last request, and the last few responses, so that the
/// repeated lines of a response fold into one request.
/// </summary>
internal sealed class RequestChain
{
    // Lines of one response are written together; a few parallel subagents writing into one file may interleave them.
    private const int Remembered = 8;

    private readonly Seen[] _recent = new Seen[Remembered];
    private int _next;

    /// <summary>When the last request was answered; null before the first.</summary>
    public DateTimeOffset? LastAt { get; private set; }

    /// <summary>The model of the last request.</summary>
    public string? LastModel { get; private set; }

    /// <summary>The context of the last request.</summary>
    public long LastContext { get; private set; }

    /// <summary>The last request that wrote cache wrote one-hour cache: what is cached lives an hour.</summary>
    public bool OneHourCache { get; private set; }

    /// <summary>A compaction came after the last request.</summary>
    public bool CompactedSince { get; set; }

    /// <summary>How long what the cache holds lives under <paramref name="rules"/>.</summary>
    public TimeSpan Ttl(UsageRules rules) => OneHourCache ? rules.CacheTtl1h : rules.CacheTtl5m;

    /// <summary>
    /// True when <paramref name="request"/> is another line of a response already seen; <paramref name="more"/> is then
    /// what it reports beyond the largest count seen for that response (the output grows block by block), and
    /// <paramref name="context"/> and <paramref name="model"/> are the response's, <paramref name="counted"/> whether it was counted.
    /// </summary>
    public bool TryFold(in ModelRequest request, out TokenCounts more, out long context, out string? model, out bool counted)
    {
        more = default;
        context = 0;
        model = null;
        counted = false;
        if (request.MessageId is null && request.RequestId is null)
        {
            return false;
        }

        for (int i = 0; i < Remembered; i++)
        {
            ref var seen = ref _recent[i];
            if (seen.Context > 0 && seen.MessageId == request.MessageId && seen.RequestId == request.RequestId)
            {
                more = seen.Tokens.Beyond(request.Tokens);
                seen.Tokens = seen.Tokens.Plus(more);
                (context, model, counted) = (seen.Context, seen.Model, seen.Counted);
                return true;
            }
        }

        return false;
    }

    /// <summary>The reason a cold <paramref name="request"/> found the cache cold, judged against the last one.</summary>
    public string Reason(in ModelRequest request, UsageRules rules) =>
        request.At - LastAt > Ttl(rules) ? ColdReasons.Expired
        : CompactedSince ? ColdReasons.Compacted
        : request.Model is not null && LastModel is not null && !string.Equals(request.Model, LastModel, StringComparison.Ordinal) ? ColdReasons.Model
        : ColdReasons.Unknown;

    /// <summary>Takes <paramref name="request"/> as the chain's last; <paramref name="counted"/> says whether it was counted.</summary>
    public void Observe(in ModelRequest request, bool counted)
    {
        long context = request.Tokens.Context;
        _recent[_next] = new Seen { MessageId = request.MessageId, RequestId = request.RequestId, Tokens = request.Tokens, Context = Math.Max(1, context), Model = request.Model, Counted = counted };
        _next = (_next + 1) % Remembered;
        LastAt = request.At;
        LastModel = request.Model ?? LastModel;
        LastContext = context;
        CompactedSince = false;
        if (request.Tokens.CacheWrite > 0)
        {
            OneHourCache = request.Tokens.CacheWrite1h > 0;
        }
    }

    private struct Seen
    {
        public string? MessageId;
        public string? RequestId;
        public TokenCounts Tokens;
        public long Context;
        public string? Model;
        public bool Counted;
    }
}
