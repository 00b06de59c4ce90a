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

/// <summary>The fake's request handler: each request recorded, then answered as the kind of request it is.</summary>
public sealed partial class FakeMessagesApi
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var headers = request.Headers.ToDictionary(
            h => h.Key.ToLowerInvariant(),
            h => h.Value.ToString(),
            StringComparer.OrdinalIgnoreCase);
        var path = request.Path.Value ?? "/";
        var query = request.QueryString.Value ?? string.Empty;

        var isPost = HttpMethods.IsPost(request.Method);
        var isCountTokens = isPost && path.EndsWith("/v1/messages/count_tokens", StringComparison.Ordinal);
        var isMessages = isPost && path.EndsWith("/v1/messages", StringComparison.Ordinal);

        MessagesRequestInfo info = default;
        if (isCountTokens || isMessages)
        {
            if (!MessagesRequestInfo.TryParse(body, out info))
            {
                Record(new FakeApiRequest(request.Method, path, query, FakeApiRequestKind.Other, null, null, false, 0, headers, body));
                await FakeWire.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "Body is not a JSON object.").ConfigureAwait(false);
                return;
            }
        }

        if (isCountTokens)
        {
            var tokens = ReportedInputTokens;
            Record(new FakeApiRequest(request.Method, path, query, FakeApiRequestKind.CountTokens, info.LastUserText, info.Model, false, tokens, headers, body));
            await FakeWire.WriteJsonAsync(context, new JsonObject { ["input_tokens"] = tokens }).ConfigureAwait(false);
            return;
        }

        if (!isMessages)
        {
            Record(new FakeApiRequest(request.Method, path, query, FakeApiRequestKind.Other, null, null, false, 0, headers, body));
            if (HttpMethods.IsHead(request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json; charset=utf-8";
                return;
            }

            await FakeWire.WriteJsonAsync(context, new JsonObject()).ConfigureAwait(false);
            return;
        }

        FakeApiRequestKind kind;
        string text;
        long inputTokens;
        FakeUsage? turnUsage = null;
        FakeToolUse? toolUse = null;
        var delay = TimeSpan.Zero;
        lock (_gate)
        {
            if (info.IsSummary)
            {
                kind = FakeApiRequestKind.Summary;
                text = "<summary>\n" + _summaryText + "\n</summary>";
                inputTokens = _summaryInputTokens;
                _reportedInputTokens = DefaultInputTokens;
            }
            else if (info.IsTitle)
            {
                kind = FakeApiRequestKind.Title;
                text = info.WantsJson ? new JsonObject { ["title"] = _titleText }.ToJsonString(FakeWire.Json) : _titleText;
                inputTokens = DefaultInputTokens;
            }
            else if (info.IsSuggestion)
            {
                kind = FakeApiRequestKind.Suggestion;
                text = _suggestionText;
                inputTokens = DefaultInputTokens;
            }
            else
            {
                kind = FakeApiRequestKind.Turn;
                toolUse = ToolScript?.Next(info);
                text = _replyText;
                inputTokens = _reportedInputTokens;
                turnUsage = PromptCache?.Next(inputTokens, _oneHourCacheTokens, DateTimeOffset.UtcNow) ?? new FakeUsage(inputTokens, _oneHourCacheTokens);
                delay = _replyDelay;
            }
        }

        Record(new FakeApiRequest(request.Method, path, query, kind, info.LastUserText, info.Model, info.Stream, inputTokens, headers, body));
        if (kind == FakeApiRequestKind.Summary && SummaryFails)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await FakeWire.WriteJsonAsync(context, new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = "The fake refuses to summarize." },
            }).ConfigureAwait(false);
            return;
        }

        FakeUsage usage = turnUsage ?? new FakeUsage(inputTokens, 0);

        var messageId = "msg_fake_" + Interlocked.Increment(ref _messageCounter).ToString("D6", CultureInfo.InvariantCulture);
        var model = info.Model ?? FallbackModel;
        var outputTokens = Math.Max(1, text.Length / 4);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            if (toolUse is not null)
            {
                await FakeWire.WriteToolUseAsync(context, messageId, model, toolUse, usage, info.Stream, linked.Token).ConfigureAwait(false);
            }
            else if (info.Stream)
            {
                await FakeWire.WriteStreamAsync(context, messageId, model, text, usage, outputTokens, delay, linked.Token).ConfigureAwait(false);
            }
            else
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, linked.Token).ConfigureAwait(false);
                }

                await FakeWire.WriteJsonAsync(context, FakeWire.BuildMessage(messageId, model, text, usage, outputTokens, final: true)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Client went away or the fake is stopping: nothing more to send.
        }
    }

    private void Record(FakeApiRequest entry) => _log.Add(entry);
}
