using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>
/// A fake Anthropic Messages API on <c>127.0.0.1</c> (random port) for running the real Claude ACP agent offline.
/// Point the agent at it with <c>ANTHROPIC_BASE_URL=<see cref="BaseUrl"/></c> and any <c>ANTHROPIC_API_KEY</c>.
/// </summary>
/// <remarks>
/// <para>What it answers:</para>
/// <list type="bullet">
/// <item><c>GET</c> anything: <c>200 {}</c>; <c>HEAD</c> anything (the agent probes <c>HEAD /api/hello</c>): <c>200</c>, no body.</item>
/// <item><c>POST /v1/messages</c> (any query, e.g. <c>?beta=true</c>): one assistant text message, as server-sent events when the
/// request says <c>"stream": true</c>, otherwise as one JSON body. The text depends on the request's kind:
/// a title request (last user message starts with <c>&lt;session&gt;</c>) gets <see cref="TitleText"/> (as <c>{"title":"…"}</c> when the
/// request asks for a JSON-schema output format, as the agent does), the compaction summarizer
/// (last user message starts with <c>CRITICAL: Respond with TEXT ONLY</c>) gets <see cref="SummaryText"/> wrapped in
/// <c>&lt;summary&gt;</c> tags, a next-prompt suggestion request (last user message starts with <c>[SUGGESTION MODE:</c>) gets
/// <see cref="SuggestionText"/>, anything else (a normal turn) gets <see cref="ReplyText"/>, or a <c>tool_use</c> from
/// <see cref="ToolScript"/> when one is set and its turn has come.</item>
/// <item><c>POST /v1/messages/count_tokens</c>: <c>{"input_tokens": <see cref="ReportedInputTokens"/>}</c>.</item>
/// <item>Any other <c>POST</c>: <c>200 {}</c>.</item>
/// </list>
/// <para>
/// Context fill and compaction: the agent derives the context fill it reports (<c>usage_update.used</c>) and its auto-compaction
/// decision from the <c>usage.input_tokens</c> of the model's answers. Normal turns report <see cref="ReportedInputTokens"/>.
/// To provoke an auto-compaction set it near the window (e.g. <c>990_000</c> of the default 1,000,000) before a turn; the agent then
/// compacts at the start of the next turn. Serving a summarizer request resets <see cref="ReportedInputTokens"/> to
/// <see cref="DefaultInputTokens"/>, the way a real conversation is small again after compaction, so the compaction happens
/// once and not on every following turn. The summarizer's own answer reports <see cref="SummaryInputTokens"/>; title and
/// suggestion requests (side calls that do not fill the conversation's context) report <see cref="DefaultInputTokens"/>.
/// </para>
/// <para>Every request is recorded in <see cref="Requests"/>. Nothing is logged anywhere. All members are thread-safe.</para>
/// </remarks>
public sealed partial class FakeMessagesApi : IAsyncDisposable
{
    /// <summary>Default for <see cref="ReportedInputTokens"/>, and the value it returns to after a summary is served.</summary>
    public const long DefaultInputTokens = 1200;

    /// <summary>Default for <see cref="ReplyText"/>.</summary>
    public const string DefaultReplyText = "Hello from the fake model.";

    /// <summary>Default for <see cref="TitleText"/>.</summary>
    public const string DefaultTitleText = "Fake session title";

    /// <summary>Default for <see cref="SummaryText"/>.</summary>
    public const string DefaultSummaryText = "The user and the fake model exchanged greetings. Nothing else happened.";

    /// <summary>Default for <see cref="SuggestionText"/>.</summary>
    public const string DefaultSuggestionText = "Thanks";

    /// <summary>Default for <see cref="SummaryInputTokens"/>.</summary>
    public const long DefaultSummaryInputTokens = 2000;

    private const string FallbackModel = "claude-fake-model";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly FakeRequestLog _log = new();
    private long _reportedInputTokens = DefaultInputTokens;
    private long _summaryInputTokens = DefaultSummaryInputTokens;
    private long _oneHourCacheTokens;
    private string _replyText = DefaultReplyText;
    private string _titleText = DefaultTitleText;
    private string _summaryText = DefaultSummaryText;
    private string _suggestionText = DefaultSuggestionText;
    private TimeSpan _replyDelay = TimeSpan.Zero;
    private bool _summaryFails;
    private long _messageCounter;
    private int _disposed;

    private FakeMessagesApi(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    /// <summary>
    /// The address to give the agent as <c>ANTHROPIC_BASE_URL</c>, e.g. <c>http://127.0.0.1:40123/</c>. The agent accepts it with or
    /// without the trailing slash that <see cref="Uri.ToString"/> adds.
    /// </summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>
    /// The <c>usage.input_tokens</c> reported for normal turns and by <c>count_tokens</c>. Defaults to <see cref="DefaultInputTokens"/>;
    /// reset to that value whenever a summarizer request is served.
    /// </summary>
    public long ReportedInputTokens
    {
        get => Interlocked.Read(ref _reportedInputTokens);
        set => Interlocked.Exchange(ref _reportedInputTokens, value);
    }

    /// <summary>
    /// Tokens a normal turn reports as written to the prompt cache with the one-hour TTL
    /// (<c>usage.cache_creation.ephemeral_1h_input_tokens</c>, and <c>cache_creation_input_tokens</c>), on top of
    /// <see cref="ReportedInputTokens"/>. Agent 0.101.0 arms its idle compaction only after such an answer (and with
    /// enough context); default 0, a five-minute-or-no cache, as before. Not reset by a summary.
    /// </summary>
    public long OneHourCacheTokens
    {
        get => Interlocked.Read(ref _oneHourCacheTokens);
        set => Interlocked.Exchange(ref _oneHourCacheTokens, value);
    }

    /// <summary>When set, normal turns may be answered with its scripted tool calls instead of <see cref="ReplyText"/>.</summary>
    public FakeToolScript? ToolScript { get; set; }

    /// <summary>When set, normal turns report their context split as this prompt cache holds it (reads while warm, writes once cold).</summary>
    public FakePromptCache? PromptCache { get; set; }

    /// <summary>The <c>usage.input_tokens</c> reported by the summarizer's answer. Defaults to <see cref="DefaultSummaryInputTokens"/>.</summary>
    public long SummaryInputTokens
    {
        get => Interlocked.Read(ref _summaryInputTokens);
        set => Interlocked.Exchange(ref _summaryInputTokens, value);
    }

    /// <summary>
    /// The assistant text of a normal turn. Defaults to <see cref="DefaultReplyText"/>. A streamed answer of eight characters or
    /// more arrives as two text deltas (so clients see more than one <c>agent_message_chunk</c>); shorter texts as one.
    /// </summary>
    public string ReplyText
    {
        get => Volatile.Read(ref _replyText);
        set => Volatile.Write(ref _replyText, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The answer to a title request. Defaults to <see cref="DefaultTitleText"/>.</summary>
    public string TitleText
    {
        get => Volatile.Read(ref _titleText);
        set => Volatile.Write(ref _titleText, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The summary body the summarizer answers with (the fake adds the <c>&lt;summary&gt;</c> tags). Defaults to <see cref="DefaultSummaryText"/>.</summary>
    public string SummaryText
    {
        get => Volatile.Read(ref _summaryText);
        set => Volatile.Write(ref _summaryText, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// When true, the compaction summarizer's requests are answered with HTTP 400 (<c>invalid_request_error</c>, which the
    /// agent does not retry): its compaction then fails. Defaults to false.
    /// </summary>
    public bool SummaryFails
    {
        get => Volatile.Read(ref _summaryFails);
        set => Volatile.Write(ref _summaryFails, value);
    }

    /// <summary>The answer to a next-prompt suggestion request. Defaults to <see cref="DefaultSuggestionText"/>.</summary>
    public string SuggestionText
    {
        get => Volatile.Read(ref _suggestionText);
        set => Volatile.Write(ref _suggestionText, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// How long a normal turn's answer stalls, for cancellation tests. A streaming answer sends <c>message_start</c> and the first
    /// text delta (the first half of <see cref="ReplyText"/>), waits, then finishes; a non-streaming answer waits before anything.
    /// The wait ends early when the client disconnects or the fake is disposed. Defaults to zero.
    /// </summary>
    public TimeSpan ReplyDelay
    {
        get { lock (_gate) { return _replyDelay; } }
        set { lock (_gate) { _replyDelay = value; } }
    }

    /// <summary>A snapshot of every request received so far, oldest first.</summary>
    public IReadOnlyList<FakeApiRequest> Requests
    {
        get => _log.Requests;
    }

    /// <summary>Starts the fake on <c>http://127.0.0.1:0</c> and returns once it is listening.</summary>
    /// <param name="ct">Cancels the start-up.</param>
    public static async Task<FakeMessagesApi> StartAsync(CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeMessagesApi).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        var fake = new FakeMessagesApi(builder.Build());
        try
        {
            await fake._app.StartAsync(ct).ConfigureAwait(false);
            fake.BaseUrl = new Uri(fake._app.Urls.First(), UriKind.Absolute);
            return fake;
        }
        catch
        {
            await fake.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits for the first request (already received or still to come) that matches <paramref name="match"/>,
    /// e.g. the title request that the agent sends after a turn has already ended.
    /// </summary>
    public Task<FakeApiRequest> WaitForRequestAsync(Func<FakeApiRequest, bool> match, CancellationToken ct = default) =>
        _log.WaitForAsync(match, ct);

    /// <summary>Stops listening (open responses are cut off after a short grace period).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(grace.Token).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }
            catch (OperationCanceledException)
            {
                // Grace period over; disposal below tears down what is left.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
