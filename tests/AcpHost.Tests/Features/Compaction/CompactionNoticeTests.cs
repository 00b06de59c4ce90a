using System.Text.Json;
using AcpHost.Features.Compaction;
using AcpHost.Features.Notices;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>
/// The compaction notice on the real agent's captured <c>/compact</c> turn: the agent answers the prompt right after its
/// compaction, before the host has recorded it, and the notice must still come inside that turn.
/// </summary>
public sealed class CompactionNoticeTests : IAsyncDisposable
{
    private const int Timeout = 20_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-notice-").FullName;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>The compaction feature, the notice desk and the hold on a turn's end, wired as the host wires them.</summary>
    private async Task<(RelayHarness Harness, CompactionParts Compaction, List<string> Received)> StartAsync()
    {
        var registry = new SessionRegistry();
        var turns = new SessionTurns();
        var profile = new ClientProfile();
        var client = new ClientChannel();
        var desk = new NoticeDesk(NoticeSwitches.Defaults, profile, turns, client, new ListLogger<NoticeDesk>());
        var ledger = new CompactionLedger(Path.Combine(_folder, "data"));
        var options = new CompactionOptions { ClaudeConfigDir = ClaudeDir, PollInterval = TimeSpan.FromMilliseconds(50) };
        var compaction = new CompactionParts(registry, ledger, options, turns: turns, notices: desk, client: client);
        await compaction.StartAsync();
        IMessageInterceptor[] interceptors =
        [
            new SessionTracker(registry, TimeProvider.System, new ListLogger<SessionTracker>(), profile: profile),
            compaction.Signals,
            new TurnEndHold(desk, profile, turns, new ListLogger<TurnEndHold>()),
        ];
        var harness = new RelayHarness(interceptors);
        client.Attach(harness.Relay);
        var received = new List<string>();
        _ = Task.Run(async () =>
        {
            while (await harness.ToClient.ReadLineAsync(TimeSpan.FromSeconds(15)) is { } line)
            {
                lock (received)
                {
                    received.Add(line);
                }
            }
        });
        return (harness, compaction, received);
    }

    private string ClaudeDir => Path.Combine(_folder, "claude");

    /// <summary>What reached the client, once <paramref name="done"/> holds of it.</summary>
    private static async Task<List<JsonElement>> ReceivedAsync(List<string> received, Func<List<JsonElement>, bool> done, string what)
    {
        List<JsonElement> messages = [];
        await Conditions.UntilAsync(() =>
        {
            lock (received)
            {
                messages = [.. received.Select(l => JsonDocument.Parse(l).RootElement.Clone())];
            }

            return done(messages);
        }, TimeSpan.FromSeconds(15), what);
        return messages;
    }

    private static bool IsAnswer(JsonElement message, int id) =>
        message.TryGetProperty("id", out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.GetInt32() == id;

    private static bool IsCompactionNotice(JsonElement message) => message.GetRawText().Contains("\"notice\":\"compaction\"", StringComparison.Ordinal);

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManualCompactCapture_TheNoticeComesBeforeTheAnswerToCompact(bool clientShowsNotices)
    {
        (RelayHarness harness, CompactionParts compaction, List<string> received) = await StartAsync();
        await using (harness)
        await using (compaction)
        {
            foreach ((string direction, string line) in AgentSamples.Load("compact-manual.ndjson"))
            {
                string sent = clientShowsNotices ? line.Replace("\"terminal\":true}", "\"terminal\":true,\"session\":{\"notices\":{}}}", StringComparison.Ordinal) : line;
                if (direction == "client->agent")
                {
                    await harness.ClientSayAsync(sent);
                    await harness.Agent.ReadFromRelay.NextAsync();
                }
                else
                {
                    await harness.Agent.SayAsync(sent);
                }
            }

            List<JsonElement> messages = await ReceivedAsync(received, m => m.Any(message => IsAnswer(message, 5)), "the last turn's answer");
            int notice = messages.FindIndex(IsCompactionNotice);
            int compactAnswer = messages.FindIndex(m => IsAnswer(m, 4));
            int compacted = messages.FindIndex(m => m.GetRawText().Contains("\"rawOutput\"", StringComparison.Ordinal));
            Assert.True(compacted < notice && notice < compactAnswer, $"the notice ({notice}) must come inside the /compact turn, before its answer ({compactAnswer})");
            JsonElement update = messages[notice].GetProperty("params").GetProperty("update");
            Assert.Equal(clientShowsNotices ? "notice" : "agent_message_chunk", update.GetProperty("sessionUpdate").GetString());
            string text = clientShowsNotices ? update.GetProperty("description").GetString()! : update.GetProperty("content").GetProperty("text").GetString()!;
            Assert.Contains("1,206 → 2,516 tokens (window 1,000,000).", text, StringComparison.Ordinal);
            Assert.Contains("No fork of this session was taken before it", text, StringComparison.Ordinal);
            Assert.Single(messages, IsCompactionNotice);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task V2CompactCapture_TheNoticeComesBeforeTheIdleThatEndsTheCompactTurn()
    {
        (RelayHarness harness, CompactionParts compaction, List<string> received) = await StartAsync();
        await using (harness)
        await using (compaction)
        {
            // v2 gives no counts on the wire: the transcript's boundary line, written as the agent writes it, carries them.
            string? sessionId = null;
            List<int> asked = [];
            foreach ((string direction, string line) in AgentSamples.Load("v2-prompt-compact.ndjson"))
            {
                if (direction == "client->agent")
                {
                    // A client asks again only once it has the answers it waits for (it prompts with the sessionId that
                    // session/new answered), so the agent can compact, and write the boundary, only after the host has
                    // relayed that answer and started following the session's transcript from the file's end as it was.
                    // Fed without waiting, the capture's agent lines could lag in the relay (a cold run, this test alone)
                    // while the boundary was written: the host, opening the session after it, took it for history.
                    await ReceivedAsync(received, m => asked.TrueForAll(id => m.Exists(message => IsAnswer(message, id))), "the answers to the client's earlier requests");
                    asked.Add(JsonDocument.Parse(line).RootElement.GetProperty("id").GetInt32());
                    await harness.ClientSayAsync(line);
                    await harness.Agent.ReadFromRelay.NextAsync();
                    continue;
                }

                sessionId ??= JsonDocument.Parse(line).RootElement.TryGetProperty("result", out JsonElement r) && r.TryGetProperty("sessionId", out JsonElement s) ? s.GetString() : null;
                if (line.Contains("\"compaction_update\"", StringComparison.Ordinal) && line.Contains("\"completed\"", StringComparison.Ordinal) && !line.Contains("summary", StringComparison.Ordinal))
                {
                    string folder = Path.Combine(ClaudeDir, "projects", TranscriptPaths.EncodeCwd("/tmp/acphost-e2e/work"));
                    Directory.CreateDirectory(folder);
                    await File.AppendAllTextAsync(Path.Combine(folder, sessionId + ".jsonl"),
                        $$$"""{"type":"system","subtype":"compact_boundary","uuid":"b-v2","sessionId":"{{{sessionId}}}","timestamp":"{{{DateTimeOffset.UtcNow:O}}}","compactMetadata":{"trigger":"manual","preTokens":1206,"postTokens":2513,"durationMs":45}}""" + "\n");
                }

                await harness.Agent.SayAsync(line);
            }

            List<JsonElement> messages = await ReceivedAsync(
                received, m => m.Count(message => message.GetRawText().Contains("\"state\":\"idle\"", StringComparison.Ordinal)) == 3, "the three turns' idle states");
            int compactAnswer = messages.FindIndex(m => IsAnswer(m, 4));
            int notice = messages.FindIndex(IsCompactionNotice);
            int idle = messages.FindIndex(compactAnswer, m => m.GetRawText().Contains("\"state\":\"idle\"", StringComparison.Ordinal));
            Assert.True(compactAnswer < notice && notice < idle, $"the notice ({notice}) must come inside the /compact turn ({compactAnswer}..{idle})");
            JsonElement update = messages[notice].GetProperty("params").GetProperty("update");
            Assert.Equal("notice", update.GetProperty("sessionUpdate").GetString());
            Assert.Equal("1,206 → 2,513 tokens (window 1,000,000).", update.GetProperty("description").GetString()!.Split('\n')[0]);
        }
    }
}
