using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>The compaction feature on a relay, fed the real agent's captured traffic.</summary>
public sealed class CompactionSignalsTests : IAsyncDisposable
{
    private const int Timeout = 20_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-signals-").FullName;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private string ClaudeDir => Path.Combine(_folder, "claude");

    private (RelayHarness Harness, CompactionParts Compaction, CompactionLedger Ledger) Start(TimeProvider? clock = null)
    {
        var registry = new SessionRegistry();
        var ledger = new CompactionLedger(Path.Combine(_folder, "data"));
        var options = new CompactionOptions { ClaudeConfigDir = ClaudeDir, TranscriptWait = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromMilliseconds(50) };
        var compaction = new CompactionParts(registry, ledger, options, clock);
        Assert.True(compaction.StartAsync().IsCompletedSuccessfully, "starting the loops must not wait on them");
        IMessageInterceptor[] interceptors = [new SessionTracker(registry, TimeProvider.System, new ListLogger<SessionTracker>()), compaction.Signals];
        var harness = new RelayHarness(interceptors);
        compaction.Client.Attach(harness.Relay);
        return (harness, compaction, ledger);
    }

    /// <summary>
    /// Replays a capture: the client's lines into the relay, the agent's lines out of the fake agent, in order. Returns
    /// what reached the client for the agent's lines; the host's own notifications, which may come in between, go to
    /// <paramref name="fromHost"/>.
    /// </summary>
    private static async Task<List<string>> ReplayAsync(RelayHarness harness, string sample, List<string> fromHost, Func<string, Task>? beforeAgentLine = null)
    {
        var toClient = new List<string>();
        foreach ((string direction, string line) in AgentSamples.Load(sample))
        {
            if (direction == "client->agent")
            {
                await harness.ClientSayAsync(line);
                await harness.Agent.ReadFromRelay.NextAsync();
                continue;
            }

            if (beforeAgentLine is not null)
            {
                await beforeAgentLine(line);
            }

            await harness.Agent.SayAsync(line);
            string received;
            while ((received = await harness.ToClient.NextAsync()).Contains("\"method\":\"_acphost/", StringComparison.Ordinal))
            {
                fromHost.Add(received);
            }

            toClient.Add(received);
        }

        return toClient;
    }

    [Fact(Timeout = Timeout)]
    public async Task ManualCompactCapture_OneLedgerRecordAndOneClientNotification()
    {
        (RelayHarness harness, CompactionParts compaction, CompactionLedger ledger) = Start();
        await using (harness)
        await using (compaction)
        {
            var fromHost = new List<string>();
            List<string> relayed = await ReplayAsync(harness, "compact-manual.ndjson", fromHost);

            // Every agent message went through unchanged...
            Assert.Equal(AgentSamples.FromAgent("compact-manual.ndjson"), relayed);

            // ...and the host added its own notification, once.
            JsonElement notification = JsonDocument.Parse(fromHost.Count > 0 ? Assert.Single(fromHost) : await harness.ToClient.NextAsync()).RootElement;
            Assert.Equal("_acphost/compaction", notification.GetProperty("method").GetString());
            JsonElement facts = notification.GetProperty("params");
            Assert.Equal("manual", facts.GetProperty("trigger").GetString());
            Assert.True(facts.GetProperty("preTokens").GetInt64() > 0);
            Assert.Equal(1_000_000, facts.GetProperty("contextWindow").GetInt64());
        }

        CompactionRecord record = Assert.Single(ledger.ReadAll());
        Assert.Equal(CompactionSources.ToolCall, record.Source);
        Assert.Equal("manual", record.Trigger);
    }

    [Fact(Timeout = Timeout)]
    public async Task Idle_NothingEndedOrAwaited_NoPollTimerUntilATurnEndsAndNoneAfterItIsLookedAt()
    {
        var clock = new TimerWatch();
        (RelayHarness harness, CompactionParts compaction, _) = Start(clock);
        await using (harness)
        await using (compaction)
        {
            // Absence can only be watched for a while: ten poll intervals with no turn ended and no count awaited.
            Task timerMade = Conditions.UntilAsync(() => clock.Created > 0, TimeSpan.FromSeconds(10), "a poll timer once a turn ended");
            Assert.True(await Conditions.StaysPendingAsync(timerMade, TimeSpan.FromMilliseconds(500)), "an idle feature made a poll timer");

            // A turn ends (the /compact prompt is answered): its transcript is looked at, then the poll stops again.
            await ReplayAsync(harness, "compact-manual.ndjson", []);
            await timerMade;
            await Conditions.UntilAsync(() => clock.Armed == 0, TimeSpan.FromSeconds(10), "no poll timer armed once nothing is due");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task CapableClientCapture_TranscriptAlreadyWritten_FactsRideAlongInMetaAcphost()
    {
        (RelayHarness harness, CompactionParts compaction, CompactionLedger ledger) = Start();
        const string sample = "compact-manual-compaction-capable-client.ndjson";
        string? sessionId = null;
        await using (harness)
        await using (compaction)
        {
            // Just before the agent's terminal compaction_update, its transcript line is on disk.
            var fromHost = new List<string>();
            List<string> relayed = await ReplayAsync(harness, sample, fromHost, async line =>
            {
                sessionId ??= JsonDocument.Parse(line).RootElement.TryGetProperty("result", out JsonElement r) && r.TryGetProperty("sessionId", out JsonElement s) ? s.GetString() : null;
                if (line.Contains("\"status\":\"completed\"", StringComparison.Ordinal) && line.Contains("compaction_update", StringComparison.Ordinal))
                {
                    string folder = Path.Combine(ClaudeDir, "projects", TranscriptPaths.EncodeCwd("/tmp/acphost-e2e/work"));
                    Directory.CreateDirectory(folder);
                    string boundary = $$$"""{"type":"system","subtype":"compact_boundary","uuid":"b-1","sessionId":"{{{sessionId}}}","compactMetadata":{"trigger":"manual","preTokens":1206,"postTokens":2516,"durationMs":175}}""";
                    await File.AppendAllTextAsync(Path.Combine(folder, sessionId + ".jsonl"), boundary + "\n");
                }
            });

            JsonElement terminal = relayed.Select(l => JsonDocument.Parse(l).RootElement)
                .First(m => m.GetRawText().Contains("compaction_update", StringComparison.Ordinal) && m.GetRawText().Contains("\"completed\"", StringComparison.Ordinal));
            JsonElement update = terminal.GetProperty("params").GetProperty("update");
            Assert.Equal(1206, update.GetProperty("_meta").GetProperty("acphost").GetProperty("preTokens").GetInt64());
            Assert.Equal("manual", update.GetProperty("_meta").GetProperty("acphost").GetProperty("trigger").GetString());
            Assert.Equal("completed", update.GetProperty("status").GetString());
            Assert.True(update.TryGetProperty("summary", out _));

            JsonElement notification = JsonDocument.Parse(fromHost.Count > 0 ? Assert.Single(fromHost) : await harness.ToClient.NextAsync()).RootElement;
            Assert.Equal(1206, notification.GetProperty("params").GetProperty("preTokens").GetInt64());
        }

        CompactionRecord record = Assert.Single(ledger.ReadAll());
        Assert.Equal((CompactionSources.CompactionUpdate, 1206L, "b-1"), (record.Source, record.PreTokens!.Value, record.BoundaryUuid));
    }

    [Fact(Timeout = Timeout)]
    public async Task CapableClientCapture_TranscriptWrittenAfterTheWire_StillOneRecordWithCounts()
    {
        (RelayHarness harness, CompactionParts compaction, CompactionLedger ledger) = Start();
        const string sample = "compact-auto-compaction-capable-client.ndjson";
        await using (harness)
        await using (compaction)
        {
            var fromHost = new List<string>();
            List<string> relayed = await ReplayAsync(harness, sample, fromHost);
            Assert.Equal(AgentSamples.FromAgent(sample), relayed);
            Assert.Empty(fromHost);
            string sessionId = AgentSamples.FromAgent(sample).Select(l => JsonDocument.Parse(l).RootElement)
                .First(m => m.TryGetProperty("result", out JsonElement r) && r.TryGetProperty("sessionId", out _))
                .GetProperty("result").GetProperty("sessionId").GetString()!;

            string folder = Path.Combine(ClaudeDir, "projects", TranscriptPaths.EncodeCwd("/tmp/acphost-e2e/work"));
            Directory.CreateDirectory(folder);
            await File.AppendAllTextAsync(
                Path.Combine(folder, sessionId + ".jsonl"),
                $$$"""{"type":"system","subtype":"compact_boundary","uuid":"b-2","sessionId":"{{{sessionId}}}","timestamp":"{{{DateTimeOffset.UtcNow:O}}}","compactMetadata":{"trigger":"auto","preTokens":990010,"postTokens":2576,"durationMs":40}}""" + "\n");

            JsonElement notification = JsonDocument.Parse(await harness.ToClient.NextAsync()).RootElement;
            Assert.Equal("_acphost/compaction", notification.GetProperty("method").GetString());
            Assert.Equal(990010, notification.GetProperty("params").GetProperty("preTokens").GetInt64());
            Assert.Equal("auto", notification.GetProperty("params").GetProperty("trigger").GetString());
        }

        CompactionRecord record = Assert.Single(ledger.ReadAll());
        Assert.Equal(990010, record.PreTokens);
    }
}
