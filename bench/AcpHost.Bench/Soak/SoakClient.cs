using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace AcpHost.Bench.Soak;

/// <summary>
/// The editor's end of the soak: sends echo requests, tell notifications and random cancels over many sessions,
/// answers the agent's asks, and checks that every answer, note and ask arrives whole and, per session, in order.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The window never allocates a wait handle, so there is nothing to dispose.")]
internal sealed class SoakClient(SoakWire wire, SoakOptions options)
{
    private const string ReportId = "report";

    private readonly Random _random = new(options.Seed);
    private readonly ConcurrentDictionary<long, Sent> _pending = new();
    private readonly SemaphoreSlim _window = new(options.Window, options.Window);
    private readonly Dictionary<string, long> _sentSeq = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _receivedSeq = new(StringComparer.Ordinal);
    private readonly Channel<(string Id, long Seq, int Size)> _asks = Channel.CreateUnbounded<(string, long, int)>();
    private readonly TaskCompletionSource<SoakAgentReport> _report = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _errors = new();
    private long _nextId;
    private long _echoes;
    private long _tells;
    private long _cancels;
    private long _results;
    private long _cancelledAnswers;
    private long _notes;
    private long _asksReceived;
    private long _asksAnswered;
    private long _linesIn;
    private long _linesOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _errorCount;
    private SoakConversation? _conversation;

    private SoakConversation Conversation => _conversation ??= new SoakConversation(compose => WriteAsync(compose, 0), Fail);

    /// <summary>Lines the client has written and read so far: what the relay carried.</summary>
    public long Relayed => Interlocked.Read(ref _linesIn) + Interlocked.Read(ref _linesOut);

    /// <summary>Handles everything the host writes to the client, until it closes its output.</summary>
    public Task ReadAsync() => wire.ReadAllAsync(OnMessageAsync, Fail);

    /// <summary>Answers the agent's asks as they come, so that the reader never waits on a write.</summary>
    public async Task AnswerAsksAsync()
    {
        await foreach ((string id, long seq, int size) in _asks.Reader.ReadAllAsync())
        {
            string payload = SoakPayload.Make(seq, size);
            await WriteAsync(w =>
            {
                w.WriteStartObject();
                w.WriteString("jsonrpc", "2.0");
                w.WriteString("id", id);
                w.WriteStartObject("result");
                w.WriteNumber("seq", seq);
                w.WriteString("payload", payload);
                w.WriteEndObject();
                w.WriteEndObject();
            }, payload.Length);
            Interlocked.Increment(ref _asksAnswered);
        }
    }

    /// <summary>Sends traffic until <paramref name="until"/> or the message limit.</summary>
    public async Task SendAsync(DateTime until)
    {
        // Conversation turns go on beside the random traffic, one at a time, for the whole run.
        Task conversing = Conversation.RunAsync(until);
        long messages = 0;
        while (DateTime.UtcNow < until && messages < options.MaxMessages)
        {
            int roll = _random.Next(100);
            string session = $"sess-{_random.Next(options.Sessions)}";
            if (roll < 6 && _pending.Keys.ToArray() is { Length: > 0 } inFlight)
            {
                long target = inFlight[_random.Next(inFlight.Length)];
                await WriteAsync(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("jsonrpc", "2.0");
                    w.WriteString("method", "$/cancel_request");
                    w.WriteStartObject("params");
                    w.WriteNumber("requestId", target);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }, 0);
                Interlocked.Increment(ref _cancels);
            }
            else if (roll < 40)
            {
                long seq = NextSeq(session);
                string payload = SoakPayload.Make(seq, SoakPayload.RandomSize(_random, options.MaxSize));
                await WriteAsync(w => Message(w, null, SoakMethods.Tell, session, seq, payload, null), payload.Length);
                Interlocked.Increment(ref _tells);
            }
            else
            {
                await _window.WaitAsync();
                long id = Interlocked.Increment(ref _nextId);
                long seq = NextSeq(session);
                int reply = SoakPayload.RandomSize(_random, options.MaxSize);
                string payload = SoakPayload.Make(seq, SoakPayload.RandomSize(_random, options.MaxSize));
                int delay = _random.Next(0, 200);
                _pending[id] = new Sent(session, seq, reply);
                await WriteAsync(w => Message(w, id, SoakMethods.Echo, session, seq, payload, (reply, delay)), payload.Length);
                Interlocked.Increment(ref _echoes);
            }

            messages++;
        }

        await conversing;
    }

    /// <summary>Waits for every request to be answered and every ask to be answered, then asks the agent for its counts.</summary>
    public async Task<SoakAgentReport?> FinishAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!_pending.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (!_pending.IsEmpty)
        {
            Fail($"{_pending.Count} request(s) never answered");
            return null;
        }

        await Task.Delay(500); // asks the agent sent with the last answers
        _asks.Writer.Complete();
        await WriteAsync(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteString("id", ReportId);
            w.WriteString("method", SoakMethods.Report);
            w.WriteEndObject();
        }, 0);
        return await _report.Task.WaitAsync(timeout);
    }

    /// <summary>Compares the two ends' counts; every mismatch becomes an error.</summary>
    public void Reconcile(SoakAgentReport agent)
    {
        Expect("echo requests the agent received", Interlocked.Read(ref _echoes), agent.Echoes);
        Expect("tell notifications the agent received", Interlocked.Read(ref _tells), agent.Tells);
        Expect("echo requests answered", Interlocked.Read(ref _echoes), Interlocked.Read(ref _results) + Interlocked.Read(ref _cancelledAnswers));
        Expect("notes the client received", agent.NotesSent, Interlocked.Read(ref _notes));
        Expect("asks the client received", agent.AsksSent, Interlocked.Read(ref _asksReceived));
        Expect("asks answered back to the agent", agent.AsksSent, agent.AsksAnswered);
        Expect("messages out of order at the agent", 0, agent.OutOfOrder);
        Expect("conversation turns the agent answered", Conversation.Turns, agent.Turns);
        Expect("conversation chunks the client received", agent.ChunksSent, Conversation.Chunks);
        Expect("bad payloads or lines at the agent", 0, agent.BadPayloads + agent.BadAnswers);
    }

    /// <summary>The run's counts, as report lines.</summary>
    public IEnumerable<string> Summary(SoakAgentReport? agent)
    {
        yield return $"messages relayed: {Relayed:N0} ({Interlocked.Read(ref _linesOut):N0} client→agent, {Interlocked.Read(ref _linesIn):N0} agent→client), " +
            $"{(Interlocked.Read(ref _bytesOut) + Interlocked.Read(ref _bytesIn)) / 1e6:N0} MB";
        yield return $"client→agent: {_echoes:N0} echo requests, {_tells:N0} tell notifications, {_cancels:N0} cancels, {_asksAnswered:N0} answers to asks";
        yield return $"conversation: {Conversation.Turns:N0} session/prompt turns answered with end_turn, {Conversation.Chunks:N0} text chunks and a usage_update each";
        yield return $"agent→client: {_results:N0} results + {_cancelledAnswers:N0} cancelled (-32800) for {_echoes:N0} requests, {_notes:N0} notes, {_asksReceived:N0} asks";
        if (agent is not null)
        {
            yield return $"agent saw: {agent.Echoes:N0} echoes, {agent.Tells:N0} tells, {agent.CancelsMatched:N0} cancels of a request still waiting, " +
                $"{agent.OutOfOrder:N0} out of order, {agent.BadPayloads + agent.BadAnswers:N0} bad; sent {agent.NotesSent:N0} notes, {agent.AsksSent:N0} asks ({agent.AsksAnswered:N0} answered)";
        }

        yield return $"errors: {Interlocked.Read(ref _errorCount):N0}";
        foreach (string error in _errors.Take(20))
        {
            yield return $"  {error}";
        }
    }

    /// <summary>True when nothing went wrong.</summary>
    public bool Clean => Interlocked.Read(ref _errorCount) == 0;

    private Task OnMessageAsync(JsonElement message, long length)
    {
        Interlocked.Increment(ref _linesIn);
        Interlocked.Add(ref _bytesIn, length + 1);
        if (message.TryGetProperty("method", out JsonElement method) && method.GetString() == "session/update")
        {
            Conversation.OnUpdate(message.GetProperty("params"));
        }
        else if (message.TryGetProperty("method", out method))
        {
            OnAgentMessage(method.GetString(), message);
        }
        else if (message.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && _pending.TryRemove(id.GetInt64(), out Sent? sent))
        {
            OnAnswer(message, sent);
            _window.Release();
        }
        else if (Conversation.TryAnswer(id, message))
        {
        }
        else if (id.ValueKind == JsonValueKind.String && id.GetString() == ReportId && message.TryGetProperty("result", out JsonElement result))
        {
            _report.TrySetResult(result.Deserialize(SoakJsonContext.Default.SoakAgentReport)!);
        }
        else
        {
            Fail($"unexpected message: {Head(message)}");
        }

        return Task.CompletedTask;
    }

    private void OnAgentMessage(string? method, JsonElement message)
    {
        JsonElement parameters = message.GetProperty("params");
        string session = parameters.GetProperty("session").GetString()!;
        long seq = parameters.GetProperty("seq").GetInt64();
        long expected = _receivedSeq.GetValueOrDefault(session) + 1;
        _receivedSeq[session] = seq;
        if (seq != expected)
        {
            Fail($"{session}: agent message {seq} arrived where {expected} was due");
        }

        switch (method)
        {
            case SoakMethods.Note:
                string? payload = parameters.GetProperty("payload").GetString();
                if (!SoakPayload.IsValid(payload, seq, payload?.Length ?? -1))
                {
                    Fail($"{session}: note {seq} has a damaged payload");
                }

                Interlocked.Increment(ref _notes);
                break;
            case SoakMethods.Ask:
                Interlocked.Increment(ref _asksReceived);
                _asks.Writer.TryWrite((message.GetProperty("id").GetString()!, seq, parameters.GetProperty("reply").GetInt32()));
                break;
            default:
                Fail($"unexpected method {method}");
                break;
        }
    }

    private void OnAnswer(JsonElement message, Sent sent)
    {
        if (message.TryGetProperty("error", out JsonElement error))
        {
            if (error.GetProperty("code").GetInt32() == SoakMethods.Cancelled)
            {
                Interlocked.Increment(ref _cancelledAnswers);
            }
            else
            {
                Fail($"error answer: {Head(message)}");
            }

            return;
        }

        JsonElement result = message.GetProperty("result");
        if (result.GetProperty("session").GetString() != sent.Session || result.GetProperty("seq").GetInt64() != sent.Seq
            || !SoakPayload.IsValid(result.GetProperty("payload").GetString(), sent.Seq, sent.Reply))
        {
            Fail($"answer to {sent.Session}/{sent.Seq} is not the one sent back");
        }

        Interlocked.Increment(ref _results);
    }

    private async Task WriteAsync(Action<Utf8JsonWriter> compose, int payloadLength)
    {
        await wire.WriteAsync(compose);
        Interlocked.Increment(ref _linesOut);
        Interlocked.Add(ref _bytesOut, payloadLength + 100);
    }

    private long NextSeq(string session)
    {
        long next = _sentSeq.GetValueOrDefault(session) + 1;
        _sentSeq[session] = next;
        return next;
    }

    private void Expect(string what, long expected, long actual)
    {
        if (expected != actual)
        {
            Fail($"{what}: expected {expected:N0}, got {actual:N0}");
        }
    }

    private void Fail(string error)
    {
        Interlocked.Increment(ref _errorCount);
        if (_errors.Count < 100)
        {
            _errors.Enqueue(error);
        }
    }

    private static string Head(JsonElement message)
    {
        string text = message.GetRawText();
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    private static void Message(Utf8JsonWriter w, long? id, string method, string session, long seq, string payload, (int Reply, int Delay)? echo)
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        if (id is { } value)
        {
            w.WriteNumber("id", value);
        }

        w.WriteString("method", method);
        w.WriteStartObject("params");
        w.WriteString("session", session);
        w.WriteNumber("seq", seq);
        if (echo is { } e)
        {
            w.WriteNumber("reply", e.Reply);
            w.WriteNumber("delayMs", e.Delay);
        }

        w.WriteString("payload", payload);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private sealed record Sent(string Session, long Seq, int Reply);
}
