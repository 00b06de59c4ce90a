using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Tests.Features.Recovery;

namespace AcpHost.Tests.Acp;

/// <summary>A prompt the host answers itself, in the shapes of each protocol version (the agent's dist/v2/prompt.js for v2).</summary>
public class HostTurnTests
{
    private const int Timeout = 5_000;

    private static readonly JsonElement Prompt = JsonDocument.Parse("""[{"type":"text","text":"/forks"}]""").RootElement.Clone();

    private static List<JsonElement> Sent(ScriptedOutlet outlet) => [.. outlet.ToClient.Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    [Fact(Timeout = Timeout)]
    public async Task AnswerAsync_V1_ChunksThenEndTurn()
    {
        var outlet = new ScriptedOutlet();

        await new HostTurn("forks", ["one", "two"]).AnswerAsync(outlet, v2: false, new RequestId(7), "s", Prompt, CancellationToken.None);

        List<JsonElement> sent = Sent(outlet);
        Assert.Equal(3, sent.Count);
        Assert.All(sent.Take(2), chunk =>
        {
            JsonElement update = chunk.GetProperty("params").GetProperty("update");
            Assert.Equal("agent_message_chunk", update.GetProperty("sessionUpdate").GetString());
            Assert.Equal("forks", update.GetProperty("_meta").GetProperty("acphost").GetProperty("command").GetString());
            Assert.False(update.TryGetProperty("messageId", out _));
        });
        Assert.Equal("""{"jsonrpc":"2.0","id":7,"result":{"stopReason":"end_turn"}}""", outlet.ToClient[2]);
    }

    [Fact(Timeout = Timeout)]
    public async Task AnswerAsync_V2_UserMessageAnswerRunningChunksIdle()
    {
        var outlet = new ScriptedOutlet();

        await new HostTurn("forks", ["text"]).AnswerAsync(outlet, v2: true, new RequestId(7), "s", Prompt, CancellationToken.None);

        List<JsonElement> sent = Sent(outlet);
        Assert.Equal(5, sent.Count);
        JsonElement user = sent[0].GetProperty("params").GetProperty("update");
        Assert.Equal("user_message", user.GetProperty("sessionUpdate").GetString());
        Assert.Equal("/forks", user.GetProperty("content")[0].GetProperty("text").GetString());
        string userMessage = user.GetProperty("messageId").GetString()!;
        Assert.Equal(userMessage, sent[1].GetProperty("result").GetProperty("messageId").GetString());
        Assert.Equal(7, sent[1].GetProperty("id").GetInt32());
        Assert.Equal("running", sent[2].GetProperty("params").GetProperty("update").GetProperty("state").GetString());
        JsonElement chunk = sent[3].GetProperty("params").GetProperty("update");
        Assert.Equal("agent_message_chunk", chunk.GetProperty("sessionUpdate").GetString());
        Assert.NotEqual(userMessage, chunk.GetProperty("messageId").GetString());
        JsonElement idle = sent[4].GetProperty("params").GetProperty("update");
        Assert.Equal(("state_update", "idle", "end_turn"), (idle.GetProperty("sessionUpdate").GetString(), idle.GetProperty("state").GetString(), idle.GetProperty("stopReason").GetString()));
    }
}
