using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>How <see cref="FakeMessagesApi"/> writes its answers: a Messages API message as server-sent events or one JSON body.</summary>
internal static class FakeWire
{
    /// <summary>Keeps <c>&lt;summary&gt;</c> tags and quotes free of <c>\u003C</c>-style escapes, so bodies stay readable.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The message as the event stream a streaming request gets; <paramref name="delay"/> stalls it between its two text deltas.</summary>
    public static async Task WriteStreamAsync(
        HttpContext context, string messageId, string model, string text, FakeUsage usage, long outputTokens, TimeSpan delay, CancellationToken ct)
    {
        HttpResponse response = await StartStreamAsync(context, messageId, model, usage, new JsonObject { ["type"] = "text", ["text"] = string.Empty }, ct).ConfigureAwait(false);

        // Two deltas so clients see more than one chunk; the delay (if any) sits between them.
        var half = delay > TimeSpan.Zero || text.Length >= 8 ? text.Length / 2 : text.Length;
        var parts = new[] { text[..half], text[half..] };
        for (var i = 0; i < parts.Length; i++)
        {
            if (i == 1 && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }

            if (parts[i].Length == 0)
            {
                continue;
            }

            await WriteEventAsync(response, "content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta",
                ["index"] = 0,
                ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = parts[i] },
            }, ct).ConfigureAwait(false);
        }

        await WriteEventAsync(response, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }, ct).ConfigureAwait(false);
        await WriteEventAsync(response, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = outputTokens },
        }, ct).ConfigureAwait(false);
        await WriteEventAsync(response, "message_stop", new JsonObject { ["type"] = "message_stop" }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A message that asks for one tool call, as the event stream the agent reads (<c>tool_use</c> block, its input in
    /// one <c>input_json_delta</c>, <c>stop_reason: tool_use</c>), or as one JSON body.
    /// </summary>
    public static async Task WriteToolUseAsync(HttpContext context, string messageId, string model, FakeToolUse tool, FakeUsage usage, bool stream, CancellationToken ct)
    {
        if (!stream)
        {
            JsonObject message = BuildMessage(messageId, model, string.Empty, usage, 20, final: true);
            message["content"] = new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = tool.Id, ["name"] = tool.Name, ["input"] = JsonNode.Parse(tool.InputJson) });
            message["stop_reason"] = "tool_use";
            await WriteJsonAsync(context, message).ConfigureAwait(false);
            return;
        }

        var block = new JsonObject { ["type"] = "tool_use", ["id"] = tool.Id, ["name"] = tool.Name, ["input"] = new JsonObject() };
        HttpResponse response = await StartStreamAsync(context, messageId, model, usage, block, ct).ConfigureAwait(false);
        await WriteEventAsync(response, "content_block_delta", new JsonObject
        {
            ["type"] = "content_block_delta",
            ["index"] = 0,
            ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = tool.InputJson },
        }, ct).ConfigureAwait(false);
        await WriteEventAsync(response, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }, ct).ConfigureAwait(false);
        await WriteEventAsync(response, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "tool_use", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 20 },
        }, ct).ConfigureAwait(false);
        await WriteEventAsync(response, "message_stop", new JsonObject { ["type"] = "message_stop" }, ct).ConfigureAwait(false);
    }

    // The event stream's head: headers, message_start, and the start of its one content block.
    private static async Task<HttpResponse> StartStreamAsync(HttpContext context, string messageId, string model, FakeUsage usage, JsonObject block, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["request-id"] = "req_" + messageId;
        await WriteEventAsync(response, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = BuildMessage(messageId, model, string.Empty, usage, 1, final: false),
        }, ct).ConfigureAwait(false);
        await WriteEventAsync(response, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = block }, ct).ConfigureAwait(false);
        return response;
    }

    public static async Task WriteEventAsync(HttpResponse response, string name, JsonObject data, CancellationToken ct)
    {
        var frame = "event: " + name + "\ndata: " + data.ToJsonString(Json) + "\n\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The message: its content when <paramref name="final"/>, empty for <c>message_start</c>. Its usage carries the cache
    /// fields Claude Code records (<c>cache_creation_input_tokens</c>, <c>cache_read_input_tokens</c> and the
    /// <c>cache_creation</c> split); a one-hour write is what makes agent 0.101.0 arm its idle compaction.
    /// </summary>
    public static JsonObject BuildMessage(string messageId, string model, string text, FakeUsage usage, long outputTokens, bool final)
    {
        var content = new JsonArray();
        if (final)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }

        return new JsonObject
        {
            ["id"] = messageId,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = final ? "end_turn" : null,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = usage.InputTokens,
                ["cache_creation_input_tokens"] = usage.FiveMinuteCacheTokens + usage.OneHourCacheTokens,
                ["cache_read_input_tokens"] = usage.CacheReadTokens,
                ["cache_creation"] = new JsonObject
                {
                    ["ephemeral_5m_input_tokens"] = usage.FiveMinuteCacheTokens,
                    ["ephemeral_1h_input_tokens"] = usage.OneHourCacheTokens,
                },
                ["output_tokens"] = outputTokens,
            },
        };
    }

    public static async Task WriteJsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(Json), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        };
        await context.Response.WriteAsync(body.ToJsonString(Json), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }
}
