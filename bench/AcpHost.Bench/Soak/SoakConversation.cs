using System.Text.Json;

namespace AcpHost.Bench.Soak;

/// <summary>
/// The conversation lane of the soak, beside the random traffic: one session opened with <c>session/new</c>, then
/// sequential <c>session/prompt</c> turns for the whole run, each answered by the soak agent as a real agent answers
/// (<see cref="ChunksPerTurn"/> <c>agent_message_chunk</c> updates, a <c>usage_update</c>, then <c>end_turn</c>). These
/// are the messages the host's features intercept on every turn, so this lane is what would show a per-turn cost in
/// the soak's RSS. Every turn must come back whole: its chunks, in order, and its usage before its answer.
/// </summary>
internal sealed class SoakConversation(Func<Action<Utf8JsonWriter>, Task> write, Action<string> fail)
{
    /// <summary>The session the soak agent's <c>session/new</c> answers with.</summary>
    public const string SessionId = "soak-conversation";

    /// <summary>Text chunks the soak agent streams per turn.</summary>
    public const int ChunksPerTurn = 8;

    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(60);

    private TaskCompletionSource<JsonElement>? _answer;
    private long _turn;
    private int _chunksThisTurn;
    private int _usageThisTurn;
    private long _turns;
    private long _chunks;

    /// <summary>Turns answered with <c>end_turn</c>.</summary>
    public long Turns => Interlocked.Read(ref _turns);

    /// <summary>Text chunks received, all turns together.</summary>
    public long Chunks => Interlocked.Read(ref _chunks);

    /// <summary>Opens the session, then runs turns one after another until <paramref name="until"/>.</summary>
    public async Task RunAsync(DateTime until)
    {
        JsonElement? opened = await RequestAsync("conversation-new", "session/new", w =>
        {
            w.WriteString("cwd", "/tmp");
            w.WriteStartArray("mcpServers");
            w.WriteEndArray();
        });
        if (opened?.TryGetProperty("result", out JsonElement result) != true || result.GetProperty("sessionId").GetString() != SessionId)
        {
            fail("conversation: session/new was not answered with the session");
            return;
        }

        while (DateTime.UtcNow < until)
        {
            long turn = Interlocked.Increment(ref _turn);
            (_chunksThisTurn, _usageThisTurn) = (0, 0);
            JsonElement? answer = await RequestAsync($"turn-{turn}", "session/prompt", w =>
            {
                w.WriteString("sessionId", SessionId);
                w.WriteStartArray("prompt");
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", $"turn {turn}: carry on");
                w.WriteEndObject();
                w.WriteEndArray();
            });
            if (answer is not { } message)
            {
                return;
            }

            bool ended = message.TryGetProperty("result", out JsonElement end) && end.TryGetProperty("stopReason", out JsonElement reason) && reason.GetString() == "end_turn";
            if (!ended || Volatile.Read(ref _chunksThisTurn) != ChunksPerTurn || Volatile.Read(ref _usageThisTurn) != 1)
            {
                fail($"conversation: turn {turn} ended with {_chunksThisTurn} chunks and {_usageThisTurn} usage updates: {message.GetRawText()}");
            }

            Interlocked.Increment(ref _turns);
        }
    }

    /// <summary>True when <paramref name="id"/> answers one of this lane's requests, which then goes on.</summary>
    public bool TryAnswer(JsonElement id, JsonElement message)
    {
        if (id.ValueKind != JsonValueKind.String || id.GetString() is not { } text || !(text.StartsWith("turn-", StringComparison.Ordinal) || text == "conversation-new"))
        {
            return false;
        }

        if (_answer?.TrySetResult(message.Clone()) != true)
        {
            fail($"conversation: an answer to {text}, which is not waiting");
        }

        return true;
    }

    /// <summary>A <c>session/update</c> of the conversation: chunks must belong to the turn in flight, in order.</summary>
    public void OnUpdate(JsonElement parameters)
    {
        JsonElement update = parameters.GetProperty("update");
        string? kind = update.GetProperty("sessionUpdate").GetString();
        if (parameters.GetProperty("sessionId").GetString() != SessionId)
        {
            fail($"conversation: an update of another session: {parameters.GetRawText()}");
        }
        else if (kind == "agent_message_chunk")
        {
            string expected = $"turn {Interlocked.Read(ref _turn)} chunk {_chunksThisTurn + 1}:";
            if (update.GetProperty("content").GetProperty("text").GetString()?.StartsWith(expected, StringComparison.Ordinal) != true)
            {
                fail($"conversation: expected '{expected}', got {update.GetRawText()}");
            }

            Interlocked.Increment(ref _chunksThisTurn);
            Interlocked.Increment(ref _chunks);
        }
        else if (kind == "usage_update" && update.GetProperty("used").GetInt64() > 0)
        {
            Interlocked.Increment(ref _usageThisTurn);
        }
        else
        {
            fail($"conversation: an unexpected update {update.GetRawText()}");
        }
    }

    private async Task<JsonElement?> RequestAsync(string id, string method, Action<Utf8JsonWriter> parameters)
    {
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answer = answer;
        await write(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteString("id", id);
            w.WriteString("method", method);
            w.WriteStartObject("params");
            parameters(w);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        try
        {
            return await answer.Task.WaitAsync(TurnTimeout);
        }
        catch (TimeoutException)
        {
            fail($"conversation: {method} {id} not answered within {TurnTimeout.TotalSeconds:N0} s");
            return null;
        }
    }
}
