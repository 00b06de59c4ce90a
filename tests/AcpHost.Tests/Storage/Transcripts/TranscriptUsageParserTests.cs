using System.Text;
using System.Text.Json;
using AcpHost.Storage.Transcripts;
using static AcpHost.Tests.Usage.UsageLines;

namespace AcpHost.Tests.Storage.Transcripts;

/// <summary>A usage line read as <c>JSON.parse</c> would read it, and lines that are no request.</summary>
public sealed class TranscriptUsageParserTests
{
    private const int Timeout = 10_000;

    private static bool TryParse(string line, out ModelRequest request)
    {
        var strings = new LineStrings();
        return TranscriptUsageParser.TryParse(Encoding.UTF8.GetBytes(line), ref strings, out request);
    }

    [Fact(Timeout = Timeout)]
    public async Task TryParse_ClaudeCodesLine_EveryField()
    {
        Assert.True(TryParse(Request("s1", T0, "msg_1", input: 3, write5m: 1_000, write1h: 2_000, read: 40_000, output: 77, sidechain: true, agentId: "a1", forkedFrom: "p"), out ModelRequest request));

        Assert.Equal(("s1", "/work/app", T0, "msg_1", "req_msg_1", Opus), (request.SessionId, request.Cwd, request.At, request.MessageId, request.RequestId, request.Model));
        Assert.Equal(new TokenCounts(3, 1_000, 2_000, 40_000, 77), request.Tokens);
        Assert.Equal((true, "a1", "p"), (request.Sidechain, request.AgentId, request.ForkedFrom));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TryParse_RepeatedKeysAndWholeDoubles_LastWinsAndDoublesCount()
    {
        string line = """{"type":"user","type":"assistant","timestamp":"2026-03-01T09:00:00Z","message":{"model":"x","model":"claude-opus-5-5","usage":{"input_tokens":1200.0,"output_tokens":-5,"cache_read_input_tokens":1.5}}}""";

        Assert.True(TryParse(line, out ModelRequest request));

        Assert.Equal(Opus, request.Model);
        Assert.Equal(new TokenCounts(1_200, 0, 0, 0, 0), request.Tokens);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"type":"assistant","timestamp":"2026-03-01T09:00:00Z","message":{"model":"<synthetic>","usage":{"input_tokens":5}}}""")]
    [InlineData("""{"type":"assistant","timestamp":"2026-03-01T09:00:00Z","message":{"usage":{"input_tokens":0,"output_tokens":9}}}""")]
    [InlineData("""{"type":"assistant","message":{"usage":{"input_tokens":5}}}""")]
    [InlineData("""{"type":"user","timestamp":"2026-03-01T09:00:00Z","message":{"usage":{"input_tokens":5}},"note":"assistant"}""")]
    public async Task TryParse_NoRequest_False(string line)
    {
        Assert.False(TryParse(line, out _));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TryParse_TornLine_Throws()
    {
        string line = Request("s1", T0, "msg_1", write5m: 1_000);

        Assert.ThrowsAny<JsonException>(() => TryParse(line[..^20], out _));
        await Task.CompletedTask;
    }
}
