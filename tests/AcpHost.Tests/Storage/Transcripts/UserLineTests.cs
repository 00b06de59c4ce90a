using System.Text;
using System.Text.Json;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Storage.Transcripts;

/// <summary>
/// The scan's fast path for user lines, held to the real agent's transcripts: every user line is recognised, and no
/// line of another type (an answer, an attachment, a boundary) is taken for one, whatever it holds.
/// </summary>
public class UserLineTests
{
    private const int Timeout = 10_000;

    public static TheoryData<string> Samples => ["transcript-tools-compact.jsonl", "transcript-compact-boundaries.jsonl", "transcript-sample.jsonl"];

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Samples))]
    public async Task Is_RealAgentTranscript_ExactlyTheUserLines(string sample)
    {
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(AgentSamples.Folder, sample));
        foreach (string line in lines.Where(l => l.Length > 0))
        {
            string? type = JsonDocument.Parse(line).RootElement.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
            bool user = UserLine.Is(Encoding.UTF8.GetBytes(line));
            Assert.True(user == (type == "user"), $"{sample}: a {type} line read as {(user ? "a user line" : "another line")}: {line[..Math.Min(line.Length, 200)]}");
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"parentUuid":null,"message":{"role":"user","content":[{"type":"user","text":"x"}]},"type":"assistant"}""", false)]
    [InlineData("""{"type":"system","subtype":"compact_boundary","content":"{\"type\":\"user\"}"}""", false)]
    [InlineData("""{"uuid":"u","type":"user","message":{"role":"user","content":"hello"}}""", true)]
    [InlineData("""{"message":{"role":"user","content":"hello"},"type":"user"}""", true)]
    [InlineData("""{"note":"a \"type\":\"user\" in a string","type":"assistant"}""", false)]
    [InlineData("""{"type":"assistant","message":{"type":"user"}}""", false)]
    public async Task Is_OnlyTheLinesOwnFirstType(string line, bool expected)
    {
        await Task.Yield();
        Assert.Equal(expected, UserLine.Is(Encoding.UTF8.GetBytes(line)));
    }
}
