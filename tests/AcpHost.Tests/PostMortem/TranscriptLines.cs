using System.Globalization;
using System.Text.Json.Nodes;

namespace AcpHost.Tests.PostMortem;

/// <summary>Transcript lines shaped like Claude Code's (see tests/TestData/agent-samples), for the scan tests.</summary>
internal static class TranscriptLines
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A boundary in the current spelling (<c>compactMetadata.preTokens</c>).</summary>
    /// <summary>
    /// A fork's copy of a parent's boundary as agent 0.101.0 writes it: a uuid of its own, the fork's session id, and
    /// <c>forkedFrom</c> naming the parent's line.
    /// </summary>
    public static string ForkedBoundary(string forkSession, string parentSession, string parentUuid, string cwd, DateTimeOffset at, string trigger, long preTokens, string? uuid = null)
    {
        JsonObject line = JsonNode.Parse(Boundary(forkSession, cwd, at, trigger, preTokens, uuid))!.AsObject();
        line["forkedFrom"] = new JsonObject { ["sessionId"] = parentSession, ["messageUuid"] = parentUuid };
        return line.ToJsonString();
    }

    public static string Boundary(string session, string cwd, DateTimeOffset at, string trigger, long preTokens, string? uuid = null) => new JsonObject
    {
        ["parentUuid"] = null,
        ["type"] = "system",
        ["subtype"] = "compact_boundary",
        ["content"] = "Conversation compacted",
        ["timestamp"] = Stamp(at),
        ["uuid"] = uuid ?? Guid.NewGuid().ToString(),
        ["compactMetadata"] = new JsonObject { ["trigger"] = trigger, ["preTokens"] = preTokens, ["durationMs"] = 1234, ["postTokens"] = 2516 },
        ["cwd"] = cwd,
        ["sessionId"] = session,
    }.ToJsonString();

    /// <summary>A boundary in the older spelling (<c>compact_metadata.pre_tokens</c>), without a cwd.</summary>
    public static string OldBoundary(string session, DateTimeOffset at, string trigger, long preTokens) => new JsonObject
    {
        ["type"] = "system",
        ["subtype"] = "compact_boundary",
        ["timestamp"] = Stamp(at),
        ["uuid"] = Guid.NewGuid().ToString(),
        ["compact_metadata"] = new JsonObject { ["trigger"] = trigger, ["pre_tokens"] = preTokens, ["post_tokens"] = 3000, ["duration_ms"] = 50 },
        ["sessionId"] = session,
    }.ToJsonString();

    /// <summary>An assistant message (a response of its own) whose usage says the context held <paramref name="input"/> + 100 + 10 tokens.</summary>
    public static string Assistant(string session, string cwd, DateTimeOffset at, long input, string text = "Hello.", bool sidechain = false) => new JsonObject
    {
        ["parentUuid"] = Guid.NewGuid().ToString(),
        ["isSidechain"] = sidechain,
        ["message"] = new JsonObject
        {
            ["id"] = "msg_" + Guid.NewGuid().ToString("N"),
            ["type"] = "message",
            ["role"] = "assistant",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
            ["usage"] = new JsonObject { ["input_tokens"] = input, ["cache_creation_input_tokens"] = 100, ["cache_read_input_tokens"] = 10, ["output_tokens"] = 6 },
        },
        ["type"] = "assistant",
        ["uuid"] = Guid.NewGuid().ToString(),
        ["timestamp"] = Stamp(at),
        ["cwd"] = cwd,
        ["sessionId"] = session,
    }.ToJsonString();

    /// <summary>A user line carrying a tool result of <paramref name="length"/> characters.</summary>
    public static string User(string session, string cwd, DateTimeOffset at, int length) => new JsonObject
    {
        ["type"] = "user",
        ["message"] = new JsonObject { ["role"] = "user", ["content"] = new string('x', length) },
        ["timestamp"] = Stamp(at),
        ["cwd"] = cwd,
        ["sessionId"] = session,
    }.ToJsonString();
}
