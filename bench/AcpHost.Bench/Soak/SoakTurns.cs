using System.Text.Json;

namespace AcpHost.Bench.Soak;

/// <summary>
/// The soak agent's side of the conversation lane (<see cref="SoakConversation"/>): answers each <c>session/prompt</c>
/// as the real agent does, with streamed text chunks numbered by turn, a <c>usage_update</c>, then <c>end_turn</c>.
/// </summary>
internal sealed class SoakTurns(SoakWire wire)
{
    private const long ContextWindow = 1_000_000;

    private long _turns;
    private long _chunksSent;

    /// <summary>Prompts answered.</summary>
    public long Turns => Interlocked.Read(ref _turns);

    /// <summary>Text chunks sent, all turns together.</summary>
    public long ChunksSent => Interlocked.Read(ref _chunksSent);

    /// <summary>Streams the turn a prompt asks for (its text starts with <c>turn N:</c>) and answers it.</summary>
    public async Task AnswerAsync(JsonElement id, JsonElement parameters)
    {
        long turn = Interlocked.Increment(ref _turns);
        string sessionId = parameters.GetProperty("sessionId").GetString() ?? "";
        string text = parameters.GetProperty("prompt")[0].GetProperty("text").GetString() ?? "";
        string label = text.Split(':')[0];
        for (int chunk = 1; chunk <= SoakConversation.ChunksPerTurn; chunk++)
        {
            string chunkText = $"{label} chunk {chunk}: part of the answer, streamed the way the model writes it. ";
            await UpdateAsync(sessionId, w =>
            {
                w.WriteString("sessionUpdate", "agent_message_chunk");
                w.WriteStartObject("content");
                w.WriteString("type", "text");
                w.WriteString("text", chunkText);
                w.WriteEndObject();
            });
            Interlocked.Increment(ref _chunksSent);
        }

        long used = 20_000 + (turn * 97 % (ContextWindow / 10));
        await UpdateAsync(sessionId, w =>
        {
            w.WriteString("sessionUpdate", "usage_update");
            w.WriteNumber("used", used);
            w.WriteNumber("size", ContextWindow);
            w.WriteStartObject("cost");
            w.WriteNumber("amount", turn * 0.0125);
            w.WriteString("currency", "USD");
            w.WriteEndObject();
        });
        await wire.WriteAsync(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WritePropertyName("id");
            id.WriteTo(w);
            w.WriteStartObject("result");
            w.WriteString("stopReason", "end_turn");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private Task UpdateAsync(string sessionId, Action<Utf8JsonWriter> update) => wire.WriteAsync(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WriteString("method", "session/update");
        w.WriteStartObject("params");
        w.WriteString("sessionId", sessionId);
        w.WriteStartObject("update");
        update(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
