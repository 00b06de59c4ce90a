using System.Text;
using System.Text.Json;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Relay;

/// <summary>
/// bad-input.md C36: a client's line padded with what the agent's SDK trims away (a BOM, NBSP, U+2028, …) is read as the
/// agent reads it, without the padding, instead of being refused as not JSON; a line padded only with JSON's own
/// whitespace still passes byte for byte.
/// </summary>
public class ClientLinePaddingTests
{
    private const int Timeout = 15_000;
    private const string Request = """{"jsonrpc":"2.0","id":7,"method":"session/new","params":{"cwd":"/w"}}""";

    [Theory(Timeout = Timeout)]
    [InlineData("\uFEFF", "")]
    [InlineData("\u00A0", "\u00A0")]
    [InlineData("", "\u2028")]
    [InlineData("\v\f", " \u3000\t")]
    [InlineData(" \u00A0 ", "\r\u2029")]
    [InlineData("\u2000\u200A\u202F\u205F\u1680", "")]
    public async Task PaddedRequest_ReachesTheAgentWithoutItsPaddingAndIsAnswered(string before, string after)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayRawAsync(Encoding.UTF8.GetBytes(before + Request + after + "\n"));

        Assert.Equal(Request, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":7,"result":{"sessionId":"s"}}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":7,"result":{"sessionId":"s"}}""", await harness.ToClient.NextAsync());
        Assert.DoesNotContain(harness.Log.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact(Timeout = Timeout)]
    public async Task LineOfNothingButSuchPadding_IsSkippedWithoutAnAnswerAsTheAgentSkipsIt()
    {
        await using var harness = new RelayHarness();
        const string alive = """{"jsonrpc":"2.0","method":"still/alive"}""";

        await harness.ClientSayRawAsync(Encoding.UTF8.GetBytes("\uFEFF\u00A0\u2028 \n"));
        await harness.ClientSayAsync(alive);

        Assert.Equal(alive, await harness.Agent.ReadFromRelay.NextAsync());
        await harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"agent/alive"}""");
        Assert.Equal("""{"jsonrpc":"2.0","method":"agent/alive"}""", await harness.ToClient.NextAsync());
        Assert.DoesNotContain(harness.Log.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact(Timeout = Timeout)]
    public async Task LinePaddedWithJsonWhitespaceOnly_PassesByteForByte()
    {
        await using var harness = new RelayHarness();
        string padded = "  \t" + Request + " \t";

        await harness.ClientSayRawAsync(Encoding.UTF8.GetBytes(padded + "\n"));

        Assert.Equal(padded, await harness.Agent.ReadFromRelay.NextAsync());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("\u200B")] // zero-width space: not whitespace to JavaScript
    [InlineData("\u0085")] // NEL: whitespace to .NET, not to JavaScript
    [InlineData("\u180E")] // Mongolian vowel separator: no longer a space since Unicode 6.3
    public async Task PaddingTheAgentDoesNotTrim_IsStillAParseError(string padding)
    {
        await using var harness = new RelayHarness();

        await harness.ClientSayRawAsync(Encoding.UTF8.GetBytes(padding + Request + "\n"));

        JsonElement error = JsonDocument.Parse(await harness.ToClient.NextAsync()).RootElement;
        Assert.Equal(-32700, error.GetProperty("error").GetProperty("code").GetInt32());
    }
}
