using System.Text.Json;
using AcpHost.Features.Compaction;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>A compaction signal the feature cannot use, or a flood of them, spoils nothing else.</summary>
public sealed class CompactionSignalsContainmentTests : IAsyncDisposable
{
    private const int Timeout = 20_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-signals-contain-").FullName;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static string Signal(string sessionId, string toolCallId, long preTokens) =>
        """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":""" + JsonSerializer.Serialize(sessionId)
        + ""","update":{"sessionUpdate":"tool_call_update","toolCallId":""" + JsonSerializer.Serialize(toolCallId)
        + ""","status":"completed","rawOutput":{"trigger":"automatic","preTokens":""" + preTokens
        + ""","postTokens":2576,"durationMs":40},"_meta":{"claudeCode":{"toolName":"compact"}}}}}""";

    [Fact(Timeout = Timeout)]
    public async Task CompactionSignal_WithAnEmptySessionId_IsLoggedAndLaterSignalsAreStillRecorded()
    {
        var registry = new SessionRegistry();
        var ledger = new CompactionLedger(Path.Combine(_folder, "data"));
        var options = new CompactionOptions { ClaudeConfigDir = Path.Combine(_folder, "claude"), TranscriptWait = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromMilliseconds(50) };
        var compaction = new CompactionParts(registry, ledger, options);
        await compaction.StartAsync();
        await using var harness = new RelayHarness([compaction.Signals]);
        compaction.Client.Attach(harness.Relay);
        await using (compaction)
        {
            await harness.Agent.SayAsync(Signal("", "t-empty", 1000));
            await harness.ToClient.NextAsync(); // the agent's update itself, unchanged

            await harness.Agent.SayAsync(Signal("s-1", "t-good", 990010));
            await harness.ToClient.NextAsync();

            JsonElement notification = JsonDocument.Parse(await harness.ToClient.NextAsync()).RootElement;
            Assert.Equal("_acphost/compaction", notification.GetProperty("method").GetString());
            Assert.Equal("s-1", notification.GetProperty("params").GetProperty("sessionId").GetString());
            Assert.True(compaction.LogEntries.Any(e => e.Level >= LogLevel.Warning), "the unusable signal left no log line");
        }

        Assert.Equal("s-1", Assert.Single(ledger.ReadAll()).SessionId);
    }

    [Fact(Timeout = 120_000)]
    public async Task CompactionSignals_ABurstOfElevenHundred_EveryOneReachesTheLedger()
    {
        const int Burst = 1_100;
        var ledger = new CompactionLedger(Path.Combine(_folder, "data"));
        var options = new CompactionOptions { ClaudeConfigDir = Path.Combine(_folder, "claude") };
        var compaction = new CompactionParts(new SessionRegistry(), ledger, options);
        await compaction.StartAsync();
        await using var harness = new RelayHarness([compaction.Signals]);
        compaction.Client.Attach(harness.Relay);
        Task<List<string>> client = harness.ToClient.ReadToEndAsync(TimeSpan.FromSeconds(60));
        await using (compaction)
        {
            // Faster than one fsync per record: the record queue fills, and the agent must wait rather than lose one.
            for (int i = 0; i < Burst; i++)
            {
                await harness.Agent.SayAsync(Signal("s-" + i, "t-" + i, 900_000 + i));
            }

            await Conditions.UntilAsync(() => ledger.ReadAll().Count == Burst || compaction.LogEntries.Any(e => e.Message.Contains("Dropped", StringComparison.Ordinal)), TimeSpan.FromSeconds(90), "every record written or one dropped");
        }

        Assert.DoesNotContain(compaction.LogEntries, e => e.Message.Contains("Dropped", StringComparison.Ordinal));
        Assert.Equal(Burst, ledger.ReadAll().Select(r => r.SessionId).Distinct().Count());
        await harness.ClientCloseAsync();
        Assert.Equal(Burst, (await client).Count(line => line.Contains("\"_acphost/compaction\"", StringComparison.Ordinal)));
    }
}
