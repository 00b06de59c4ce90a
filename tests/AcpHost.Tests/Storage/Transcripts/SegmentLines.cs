using System.Text.Json.Nodes;

namespace AcpHost.Tests.Storage.Transcripts;

/// <summary>
/// Transcript lines as Claude Code 2.1.318 writes them around tool calls and compactions (see
/// <c>tests/TestData/agent-samples/transcript-tools-compact.jsonl</c>), trimmed to what the segment analysis reads.
/// </summary>
internal static class SegmentLines
{
    /// <summary>An answer of the model calling one tool; its uuid is <paramref name="uuid"/> (or a new one).</summary>
    public static string ToolCall(string id, string tool, JsonObject input, string? uuid = null, bool sidechain = false) =>
        Answer(new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = tool, ["input"] = input }), uuid, sidechain);

    public static string Read(string id, string path, string? uuid = null) => ToolCall(id, "Read", new JsonObject { ["file_path"] = path }, uuid);

    public static string Bash(string id, string command) => ToolCall(id, "Bash", new JsonObject { ["command"] = command, ["description"] = "run" });

    public static string Fetch(string id, string url) => ToolCall(id, "WebFetch", new JsonObject { ["url"] = url, ["prompt"] = "read it" });

    /// <summary>An answer of the model in text only.</summary>
    public static string Text(string text = "Done.") => Answer(new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }), null, sidechain: false);

    /// <summary>The user line with a tool's result, an error when <paramref name="error"/>.</summary>
    public static string Result(string id, bool error = false, string content = "ok")
    {
        var block = new JsonObject { ["type"] = "tool_result", ["content"] = content };
        if (error)
        {
            block["is_error"] = true;
        }

        block["tool_use_id"] = id;
        return new JsonObject
        {
            ["parentUuid"] = Guid.NewGuid().ToString(),
            ["isSidechain"] = false,
            ["type"] = "user",
            ["message"] = new JsonObject { ["role"] = "user", ["content"] = new JsonArray(block) },
            ["uuid"] = Guid.NewGuid().ToString(),
            ["timestamp"] = "2026-12-07T03:49:31.539Z",
            ["sessionId"] = "s",
        }.ToJsonString();
    }

    /// <summary>A <c>compact_boundary</c>; <paramref name="preserved"/> lists the messages the agent kept verbatim.</summary>
    public static string Boundary(string uuid = "b-1", params string[] preserved)
    {
        var metadata = new JsonObject { ["trigger"] = "manual", ["preTokens"] = 4520, ["durationMs"] = 34, ["postTokens"] = 2796 };
        if (preserved.Length > 0)
        {
            metadata["preservedMessages"] = new JsonObject { ["anchorUuid"] = "a", ["uuids"] = new JsonArray([.. preserved.Select(p => (JsonNode)p)]), ["allUuids"] = new JsonArray([.. preserved.Select(p => (JsonNode)p)]) };
        }

        return new JsonObject
        {
            ["parentUuid"] = null,
            ["isSidechain"] = false,
            ["type"] = "system",
            ["subtype"] = "compact_boundary",
            ["content"] = "Conversation compacted",
            ["timestamp"] = "2026-12-07T03:49:32.748Z",
            ["uuid"] = uuid,
            ["compactMetadata"] = metadata,
            ["cwd"] = "/r",
            ["sessionId"] = "s",
        }.ToJsonString();
    }

    /// <summary>The summary line as agent 0.101.0 wraps the model's <paramref name="text"/>.</summary>
    public static string Summary(string text, string tools = "Bash, Read, Write") => SummaryLine(
        "This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.\n\n"
        + $"<system-reminder>\n<tools-used-before-summary>{tools}</tools-used-before-summary>\n</system-reminder>\nSummary:\n{text}\n\n"
        + "If you need specific details from before compaction (like exact code snippets, error messages, or content you generated), read the full transcript at: /cfg/projects/-r/s.jsonl\n"
        + "Continue the conversation from where it left off without asking the user any further questions.\n\n"
        + "The messages after this summary are the most recent messages from before compaction, kept verbatim.");

    /// <summary>A summary line with the wrapper given whole.</summary>
    public static string SummaryLine(string content) => new JsonObject
    {
        ["parentUuid"] = "b-1",
        ["isSidechain"] = false,
        ["type"] = "user",
        ["message"] = new JsonObject { ["role"] = "user", ["content"] = content },
        ["isVisibleInTranscriptOnly"] = true,
        ["isCompactSummary"] = true,
        ["uuid"] = Guid.NewGuid().ToString(),
        ["sessionId"] = "s",
    }.ToJsonString();

    /// <summary>A file the agent re-attaches after the summary (<paramref name="type"/> <c>compact_file_reference</c>: its name only).</summary>
    public static string Attachment(string path, string type = "file") => new JsonObject
    {
        ["parentUuid"] = Guid.NewGuid().ToString(),
        ["isSidechain"] = false,
        ["attachment"] = new JsonObject { ["type"] = type, ["filename"] = path, ["displayPath"] = Path.GetFileName(path) },
        ["type"] = "attachment",
        ["uuid"] = Guid.NewGuid().ToString(),
        ["sessionId"] = "s",
    }.ToJsonString();

    private static string Answer(JsonArray content, string? uuid, bool sidechain) => new JsonObject
    {
        ["parentUuid"] = Guid.NewGuid().ToString(),
        ["isSidechain"] = sidechain,
        ["message"] = new JsonObject
        {
            ["id"] = "msg_" + Guid.NewGuid().ToString("N"),
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = "claude-opus-5-5",
            ["content"] = content,
            ["usage"] = new JsonObject { ["input_tokens"] = 1000, ["cache_creation_input_tokens"] = 500, ["cache_read_input_tokens"] = 3000, ["output_tokens"] = 20 },
        },
        ["type"] = "assistant",
        ["uuid"] = uuid ?? Guid.NewGuid().ToString(),
        ["timestamp"] = "2026-12-07T03:49:31.483Z",
        ["cwd"] = "/r",
        ["sessionId"] = "s",
    }.ToJsonString();
}
