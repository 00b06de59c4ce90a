using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace AcpHost.Bench.Soak;

/// <summary>
/// The editor's end of the soak: sends echo requests, tell notifications and random cancels over many sessions,
/// answers the agent's asks, and checks that every answer, note and ask arrives whole and, per session, in order.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The window never allocates a wait handle, so there is nothing to dispose.")]
internal sealed partial class SoakClient(SoakWire wire, SoakOptions options)
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

    private sealed record Sent(string Session, long Seq, int Reply);
}
