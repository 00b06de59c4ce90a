using System.Text.Json;

namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>What <see cref="FakeMessagesApi"/> reads from a Messages request body to choose its answer.</summary>
/// <param name="Model">The <c>model</c> field.</param>
/// <param name="Stream">The request asked for <c>"stream": true</c>.</param>
/// <param name="WantsJson">The request asks for a JSON-schema output format (the agent's title request does).</param>
/// <param name="LastUserText">The text blocks of the last user message, joined by a newline.</param>
/// <param name="IsTitle">A title request (last user message starts with <c>&lt;session&gt;</c>).</param>
/// <param name="IsSummary">The compaction summarizer (<c>CRITICAL: Respond with TEXT ONLY</c>).</param>
/// <param name="IsSuggestion">A next-prompt suggestion request (<c>[SUGGESTION MODE:</c>).</param>
/// <param name="ToolResult">The last user message carries a <c>tool_result</c> block (the agent sends a tool's result back).</param>
internal readonly record struct MessagesRequestInfo(
    string? Model, bool Stream, bool WantsJson, string? LastUserText, bool IsTitle, bool IsSummary, bool IsSuggestion, bool ToolResult = false)
{
    private const string TitleMarker = "<session>";
    private const string SummaryMarker = "CRITICAL: Respond with TEXT ONLY";
    private const string SuggestionMarker = "[SUGGESTION MODE:";

    /// <summary>Reads a request body; false when it is not a JSON object.</summary>
    public static bool TryParse(string body, out MessagesRequestInfo info)
    {
        info = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var wantsJson = root.TryGetProperty("output_config", out var outputConfig)
                && outputConfig.ValueKind == JsonValueKind.Object
                && outputConfig.TryGetProperty("format", out var format)
                && format.ValueKind == JsonValueKind.Object
                && format.TryGetProperty("type", out var formatType)
                && formatType.ValueEquals("json_schema");
            string? lastUserText = null;
            var isTitle = false;
            var isSummary = false;
            var isSuggestion = false;
            var toolResult = false;
            if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                JsonElement? lastUser = null;
                foreach (var message in messages.EnumerateArray())
                {
                    if (message.ValueKind == JsonValueKind.Object
                        && message.TryGetProperty("role", out var role)
                        && role.ValueEquals("user"))
                    {
                        lastUser = message;
                    }
                }

                if (lastUser is { } user && user.TryGetProperty("content", out var content))
                {
                    var texts = new List<string>();
                    if (content.ValueKind == JsonValueKind.String)
                    {
                        texts.Add(content.GetString() ?? string.Empty);
                    }
                    else if (content.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var block in content.EnumerateArray())
                        {
                            toolResult |= block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var kind) && kind.ValueEquals("tool_result");
                            if (block.ValueKind == JsonValueKind.Object
                                && block.TryGetProperty("type", out var type) && type.ValueEquals("text")
                                && block.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                            {
                                texts.Add(t.GetString() ?? string.Empty);
                            }
                        }
                    }

                    lastUserText = string.Join('\n', texts);

                    // The marker may follow other blocks (e.g. system reminders), so any text block starting with it counts.
                    isTitle = texts.Exists(x => x.TrimStart().StartsWith(TitleMarker, StringComparison.Ordinal));
                    isSummary = texts.Exists(x => x.TrimStart().StartsWith(SummaryMarker, StringComparison.Ordinal));
                    isSuggestion = texts.Exists(x => x.TrimStart().StartsWith(SuggestionMarker, StringComparison.Ordinal));
                }
            }

            info = new MessagesRequestInfo(model, stream, wantsJson, lastUserText, isTitle, isSummary, isSuggestion, toolResult);
            return true;
        }
    }
}
