using System.Text.Json;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>How a compaction is told to the client.</summary>
public sealed class CompactionTellerTests : IAsyncDisposable
{
    private const int Timeout = 20_000;
    private const string Session = "s-quiet";
    private const string Cwd = "/work/app";

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-teller-").FullName;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Tell_CompactionFoundInTheTranscriptBeforeAnyMessageReachedTheInterceptor_TheClientIsStillNotified()
    {
        // A v2 session whose turn the feature never saw on the wire (its updates named no compaction, its prompt went
        // elsewhere): the compaction is found in the transcript when the turn ends, and the relay's outlet comes from
        // the client channel, not from a message the interceptor saw first.
        var registry = new SessionRegistry();
        var turns = new SessionTurns();
        string claude = Path.Combine(_folder, "claude");
        var ledger = new CompactionLedger(Path.Combine(_folder, "data"));
        var options = new AcpHost.Features.Compaction.CompactionOptions { ClaudeConfigDir = claude, PollInterval = TimeSpan.FromMilliseconds(50) };
        await using var compaction = new CompactionParts(registry, ledger, options, turns: turns);
        await compaction.StartAsync();
        await using var harness = new RelayHarness([compaction.Signals]);
        compaction.Client.Attach(harness.Relay);

        string project = Directory.CreateDirectory(Path.Combine(claude, "projects", TranscriptPaths.EncodeCwd(Cwd))).FullName;
        registry.Open(new SessionInfo(Session, Cwd, DateTimeOffset.UtcNow, "session/load", null));
        turns.ForegroundChanged(Session, running: true);
        await File.AppendAllTextAsync(
            Path.Combine(project, Session + ".jsonl"),
            $$$"""{"type":"system","subtype":"compact_boundary","uuid":"b-q","sessionId":"{{{Session}}}","timestamp":"{{{DateTimeOffset.UtcNow:O}}}","compactMetadata":{"trigger":"auto","preTokens":870000,"postTokens":3100,"durationMs":52}}""" + "\n");
        turns.ForegroundChanged(Session, running: false);

        JsonElement notification = JsonDocument.Parse(await harness.ToClient.NextAsync(TimeSpan.FromSeconds(10))).RootElement;
        Assert.Equal("_acphost/compaction", notification.GetProperty("method").GetString());
        Assert.Equal((Session, 870000L), (notification.GetProperty("params").GetProperty("sessionId").GetString(), notification.GetProperty("params").GetProperty("preTokens").GetInt64()));
    }
}
