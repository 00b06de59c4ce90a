using System.Collections.Concurrent;
using System.Text.Json;

namespace AcpHost.Bench.Soak;

/// <summary>
/// The agent end of the soak (role <c>soak-agent</c>): answers <c>soak/echo</c> after the delay it asks for (or at once
/// with -32800 when a <c>$/cancel_request</c> names it first), checks that every session's messages arrive numbered
/// 1, 2, 3, …, and now and then sends notes and requests of its own to the client. Exits when stdin closes.
/// </summary>
internal sealed class SoakAgent
{
    private readonly SoakWire _wire = new(Console.OpenStandardInput(), Console.OpenStandardOutput());
    private readonly ConcurrentDictionary<string, PendingEcho> _echoes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _asks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _expectedSeq = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sentSeq = new(StringComparer.Ordinal);
    private readonly Random _random = new(7);
    private readonly SoakTurns _turns;
    private long _echoCount;
    private long _tells;
    private long _cancelsMatched;
    private long _outOfOrder;
    private long _badPayloads;
    private long _notesSent;
    private long _asksSent;
    private long _asksAnswered;
    private long _badAnswers;
    private long _nextAsk;

    private SoakAgent() => _turns = new SoakTurns(_wire);

    /// <summary>Serves stdin until it closes; returns the exit code.</summary>
    public static async Task<int> RunAsync()
    {
        var agent = new SoakAgent();
        await agent._wire.ReadAllAsync(agent.OnMessageAsync, _ => Interlocked.Increment(ref agent._badPayloads));

        // Echoes still waiting are abandoned with the process: their client has gone.
        return 0;
    }

    private async Task OnMessageAsync(JsonElement message, long length)
    {
        bool hasMethod = message.TryGetProperty("method", out JsonElement methodElement);
        if (!hasMethod)
        {
            OnAnswer(message);
            return;
        }

        string method = methodElement.GetString() ?? "";
        JsonElement parameters = message.TryGetProperty("params", out JsonElement p) ? p : default;
        switch (method)
        {
            case "initialize":
                await AnswerAsync(message.GetProperty("id"), w => w.WriteNumber("protocolVersion", 1));
                break;
            case "session/new":
                await AnswerAsync(message.GetProperty("id"), w => w.WriteString("sessionId", SoakConversation.SessionId));
                break;
            case "session/prompt":
                await _turns.AnswerAsync(message.GetProperty("id"), parameters);
                break;
            case SoakMethods.Echo:
                await OnEchoAsync(message.GetProperty("id"), parameters);
                break;
            case SoakMethods.Tell:
                CheckSequenced(parameters);
                Interlocked.Increment(ref _tells);
                break;
            case "$/cancel_request":
                if (parameters.TryGetProperty("requestId", out JsonElement target) && _echoes.TryGetValue(target.GetRawText(), out PendingEcho? echo))
                {
                    Interlocked.Increment(ref _cancelsMatched);
                    await echo.Cancel.CancelAsync();
                }

                break;
            case SoakMethods.Report:
                await AnswerReportAsync(message.GetProperty("id"));
                break;
            default:
                Interlocked.Increment(ref _badPayloads);
                break;
        }
    }

    private async Task OnEchoAsync(JsonElement id, JsonElement parameters)
    {
        CheckSequenced(parameters);
        Interlocked.Increment(ref _echoCount);
        string session = parameters.GetProperty("session").GetString()!;
        long seq = parameters.GetProperty("seq").GetInt64();
        int reply = parameters.GetProperty("reply").GetInt32();
        int delay = parameters.GetProperty("delayMs").GetInt32();
        var echo = new PendingEcho(id.Clone(), session, seq, reply);
        _echoes[echo.Key] = echo;
        _ = AnswerLaterAsync(echo, delay);

        // Traffic the other way, interleaved with the answers: notes often, a request of the agent's own sometimes.
        int roll = _random.Next(16);
        for (int i = 0; i < roll % 4 && roll < 8; i++)
        {
            long noteSeq = NextSent(session);
            string payload = SoakPayload.Make(noteSeq, SoakPayload.RandomSize(_random, 256 * 1024));
            await _wire.WriteAsync(w => Notification(w, SoakMethods.Note, session, noteSeq, payload));
            Interlocked.Increment(ref _notesSent);
        }

        if (roll == 15)
        {
            long askSeq = NextSent(session);
            int size = SoakPayload.RandomSize(_random, 1024 * 1024);
            string askId = $"ask-{Interlocked.Increment(ref _nextAsk)}";
            _asks[askId] = size;
            Interlocked.Increment(ref _asksSent);
            await _wire.WriteAsync(w =>
            {
                w.WriteStartObject();
                w.WriteString("jsonrpc", "2.0");
                w.WriteString("id", askId);
                w.WriteString("method", SoakMethods.Ask);
                w.WriteStartObject("params");
                w.WriteString("session", session);
                w.WriteNumber("seq", askSeq);
                w.WriteNumber("reply", size);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
    }

    private async Task AnswerLaterAsync(PendingEcho echo, int delayMs)
    {
        bool cancelled = false;
        try
        {
            await Task.Delay(delayMs, echo.Cancel.Token);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
        }

        // The source is not disposed: a cancel may still be on its way to it, and it holds no timer.
        _echoes.TryRemove(echo.Key, out _);
        if (cancelled)
        {
            await _wire.WriteAsync(w =>
            {
                w.WriteStartObject();
                w.WriteString("jsonrpc", "2.0");
                w.WritePropertyName("id");
                echo.Id.WriteTo(w);
                w.WriteStartObject("error");
                w.WriteNumber("code", SoakMethods.Cancelled);
                w.WriteString("message", "Request cancelled");
                w.WriteEndObject();
                w.WriteEndObject();
            });
            return;
        }

        string payload = SoakPayload.Make(echo.Seq, echo.Reply);
        await AnswerAsync(echo.Id, w =>
        {
            w.WriteString("session", echo.Session);
            w.WriteNumber("seq", echo.Seq);
            w.WriteString("payload", payload);
        });
    }

    private void OnAnswer(JsonElement message)
    {
        string? id = message.TryGetProperty("id", out JsonElement idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (id is null || !_asks.TryRemove(id, out int size)
            || !message.TryGetProperty("result", out JsonElement result)
            || !SoakPayload.IsValid(result.GetProperty("payload").GetString(), result.GetProperty("seq").GetInt64(), size))
        {
            Interlocked.Increment(ref _badAnswers);
            return;
        }

        Interlocked.Increment(ref _asksAnswered);
    }

    /// <summary>Messages are read one at a time, so the per-session numbers need no lock.</summary>
    private void CheckSequenced(JsonElement parameters)
    {
        string session = parameters.GetProperty("session").GetString()!;
        long seq = parameters.GetProperty("seq").GetInt64();
        long expected = _expectedSeq.GetValueOrDefault(session) + 1;
        _expectedSeq[session] = seq;
        if (seq != expected)
        {
            Interlocked.Increment(ref _outOfOrder);
        }

        if (parameters.TryGetProperty("payload", out JsonElement payload)
            && !SoakPayload.IsValid(payload.GetString(), seq, payload.GetString()?.Length ?? -1))
        {
            Interlocked.Increment(ref _badPayloads);
        }
    }

    private long NextSent(string session)
    {
        long next = _sentSeq.GetValueOrDefault(session) + 1;
        _sentSeq[session] = next;
        return next;
    }

    private Task AnswerReportAsync(JsonElement id)
    {
        var report = new SoakAgentReport
        {
            Echoes = Interlocked.Read(ref _echoCount),
            Tells = Interlocked.Read(ref _tells),
            CancelsMatched = Interlocked.Read(ref _cancelsMatched),
            OutOfOrder = Interlocked.Read(ref _outOfOrder),
            BadPayloads = Interlocked.Read(ref _badPayloads),
            NotesSent = Interlocked.Read(ref _notesSent),
            AsksSent = Interlocked.Read(ref _asksSent),
            AsksAnswered = Interlocked.Read(ref _asksAnswered),
            BadAnswers = Interlocked.Read(ref _badAnswers),
            Turns = _turns.Turns,
            ChunksSent = _turns.ChunksSent,
        };
        return _wire.WriteAsync(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WritePropertyName("id");
            id.WriteTo(w);
            w.WritePropertyName("result");
            JsonSerializer.Serialize(w, report, SoakJsonContext.Default.SoakAgentReport);
            w.WriteEndObject();
        });
    }

    private Task AnswerAsync(JsonElement id, Action<Utf8JsonWriter> result) => _wire.WriteAsync(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WritePropertyName("id");
        id.WriteTo(w);
        w.WriteStartObject("result");
        result(w);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static void Notification(Utf8JsonWriter w, string method, string session, long seq, string payload)
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WriteString("method", method);
        w.WriteStartObject("params");
        w.WriteString("session", session);
        w.WriteNumber("seq", seq);
        w.WriteString("payload", payload);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private sealed class PendingEcho(JsonElement id, string session, long seq, int reply)
    {
        public JsonElement Id { get; } = id;

        public string Key { get; } = id.GetRawText();

        public string Session { get; } = session;

        public long Seq { get; } = seq;

        public int Reply { get; } = reply;

        public CancellationTokenSource Cancel { get; } = new();
    }
}
