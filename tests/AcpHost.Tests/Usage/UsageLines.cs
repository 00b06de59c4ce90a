using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AcpHost.Tests.Usage;

/// <summary>
/// Assistant lines as Claude Code writes them (see tests/TestData/agent-samples/transcript-sample.jsonl): a message with
/// id, model and usage (with the <c>cache_creation</c> split), a <c>requestId</c>, and the line's session, time and cwd.
/// Prices of the default model, claude-opus-5-5, per million tokens: input $4, output $20, 5m write $5, 1h write $8, read $0.20.
/// </summary>
internal static class UsageLines
{
    public const string Opus = "claude-opus-5-5";

    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One line of a response; the lines of one response share <paramref name="id"/>.</summary>
    public static string Request(
        string session,
        DateTimeOffset at,
        string id,
        long input = 10,
        long write5m = 0,
        long write1h = 0,
        long read = 0,
        long output = 100,
        string model = Opus,
        bool split = true,
        bool sidechain = false,
        string? agentId = null,
        string? forkedFrom = null,
        string cwd = "/work/app")
    {
        var usage = new JsonObject
        {
            ["input_tokens"] = input,
            ["cache_creation_input_tokens"] = write5m + write1h,
            ["cache_read_input_tokens"] = read,
            ["output_tokens"] = output,
            ["service_tier"] = "standard",
        };
        if (split)
        {
            usage["cache_creation"] = new JsonObject { ["ephemeral_1h_input_tokens"] = write1h, ["ephemeral_5m_input_tokens"] = write5m };
        }

        var line = new JsonObject
        {
            ["parentUuid"] = Guid.NewGuid().ToString(),
            ["isSidechain"] = sidechain,
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Hello." }),
                ["usage"] = usage,
            },
            ["requestId"] = "req_" + id,
            ["type"] = "assistant",
            ["uuid"] = Guid.NewGuid().ToString(),
            ["timestamp"] = Stamp(at),
            ["cwd"] = cwd,
            ["sessionId"] = session,
        };
        if (agentId is not null)
        {
            line["agentId"] = agentId;
        }

        if (forkedFrom is not null)
        {
            line["forkedFrom"] = new JsonObject { ["sessionId"] = forkedFrom, ["messageUuid"] = Guid.NewGuid().ToString() };
        }

        return line.ToJsonString();
    }

    /// <summary>A compaction boundary of <paramref name="session"/>.</summary>
    public static string Boundary(string session, DateTimeOffset at) => new JsonObject
    {
        ["type"] = "system",
        ["subtype"] = "compact_boundary",
        ["timestamp"] = Stamp(at),
        ["uuid"] = Guid.NewGuid().ToString(),
        ["compactMetadata"] = new JsonObject { ["trigger"] = "auto", ["preTokens"] = 150_000, ["postTokens"] = 9_000, ["durationMs"] = 30_000 },
        ["cwd"] = "/work/app",
        ["sessionId"] = session,
    }.ToJsonString();

    public static byte[] Bytes(string line) => Encoding.UTF8.GetBytes(line);

    /// <summary>Dollars from tokens at a price per million, as the tests write their known answers.</summary>
    public static double Usd(long tokens, double perMillion) => tokens * perMillion / 1_000_000;
}
