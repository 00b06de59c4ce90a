using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Features.Sessions;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Tests.Storage.Ledgers;

public sealed class SessionLedgerTests : IDisposable
{
    private const int Timeout = 15_000;

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-sessions-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static SessionRecord Session(string id, DateTimeOffset? createdAt = null) =>
        new() { SessionId = id, Cwd = "/work", CreatedAt = createdAt ?? T0 };

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_ThenReadAll_RoundTripsEveryFieldUnderTheContractNames()
    {
        var ledger = new SessionLedger(_dataDir);
        SessionRecord fork = Session("s-2", T0.AddMinutes(1)) with
        {
            ParentSessionId = "s-1",
            ForkReason = "pre-compact",
            CreatedAt = new DateTimeOffset(2026, 3, 1, 11, 1, 0, TimeSpan.FromHours(2)),
            UsedTokens = 150_000,
            ContextWindow = 200_000,
            Compactions = 3,
        };
        SessionRecord sparse = new() { SessionId = "s-3" };

        await ledger.AppendAsync(Session("s-1"), CancellationToken.None);
        await ledger.AppendAsync(fork, CancellationToken.None);
        await ledger.AppendAsync(sparse, CancellationToken.None);

        Assert.Equal(Path.Combine(_dataDir, "ledger", "sessions.jsonl"), ledger.FilePath);
        Assert.Equal([Session("s-1"), fork, sparse], ledger.ReadAll());
        string[] lines = await File.ReadAllLinesAsync(ledger.FilePath);
        Assert.Equal(3, lines.Length);
        using JsonDocument line = JsonDocument.Parse(lines[1]);
        Assert.Equal(
            ["sessionId", "parentSessionId", "forkReason", "cwd", "createdAt", "usedTokens", "contextWindow", "compactions"],
            line.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("pre-compact", line.RootElement.GetProperty("forkReason").GetString());
        Assert.Equal(3, line.RootElement.GetProperty("compactions").GetInt32());
        Assert.Contains("\"createdAt\":null", lines[2], StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadAll_SameSessionAppendedAgain_LatestFillAndCwdWinAndTheFirstLineageStays()
    {
        var ledger = new SessionLedger(_dataDir);
        await ledger.AppendAsync(Session("s-1") with { ParentSessionId = "s-0", ForkReason = "client", Compactions = 2 }, CancellationToken.None);
        await ledger.AppendAsync(Session("s-other", T0.AddSeconds(1)), CancellationToken.None);
        await ledger.AppendAsync(
            new SessionRecord { SessionId = "s-1", UsedTokens = 90_000, ContextWindow = 200_000, CreatedAt = T0.AddHours(1) },
            CancellationToken.None);
        await ledger.AppendAsync(
            new SessionRecord { SessionId = "s-1", ParentSessionId = "s-9", ForkReason = "control", Cwd = "/moved", UsedTokens = 120_000 },
            CancellationToken.None);

        IReadOnlyList<SessionRecord> sessions = ledger.ReadAll();

        Assert.Equal(["s-1", "s-other"], sessions.Select(session => session.SessionId));
        SessionRecord folded = sessions[0];
        Assert.Equal("s-0", folded.ParentSessionId);
        Assert.Equal("client", folded.ForkReason);
        Assert.Equal(T0, folded.CreatedAt);
        Assert.Equal("/moved", folded.Cwd);
        Assert.Equal(120_000, folded.UsedTokens);
        Assert.Equal(200_000, folded.ContextWindow);
        Assert.Equal(2, folded.Compactions);
    }

    [Fact(Timeout = Timeout)]
    public async Task Enrich_EarlierFactsUnknown_LaterLineFillsThemIn()
    {
        SessionRecord earlier = new() { SessionId = "s-1", Compactions = 4 };
        SessionRecord later = Session("s-1") with { ParentSessionId = "s-0", ForkReason = "command", Compactions = 0 };

        SessionRecord folded = earlier.Enrich(later);

        Assert.Equal(later with { Compactions = 4 }, folded);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadAll_Unordered_IsOrderedByCreatedAtUnknownLastThenId()
    {
        var ledger = new SessionLedger(_dataDir);
        await ledger.AppendAsync(new SessionRecord { SessionId = "s-unknown" }, CancellationToken.None);
        await ledger.AppendAsync(Session("s-c", T0.AddHours(1)), CancellationToken.None);
        await ledger.AppendAsync(Session("s-b"), CancellationToken.None);
        await ledger.AppendAsync(Session("s-a", T0.AddHours(1)), CancellationToken.None);

        Assert.Equal(["s-b", "s-a", "s-c", "s-unknown"], ledger.ReadAll().Select(session => session.SessionId));
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_AfterTornLastLine_SkipsTheFragmentAndKeepsTheRest()
    {
        var ledger = new SessionLedger(_dataDir);
        await ledger.AppendAsync(Session("s-1"), CancellationToken.None);
        await File.AppendAllTextAsync(ledger.FilePath, """{"sessionId":"s-torn","parentSess""");

        LedgerReadResult<SessionRecord> torn = SessionLedger.Read(ledger.FilePath);
        Assert.Equal(["s-1"], torn.Records.Select(session => session.SessionId));
        Assert.Equal(1, torn.SkippedLines);

        await ledger.AppendAsync(Session("s-2", T0.AddMinutes(1)), CancellationToken.None);

        LedgerReadResult<SessionRecord> after = SessionLedger.Read(ledger.FilePath);
        Assert.Equal(["s-1", "s-2"], after.Records.Select(session => session.SessionId));
        Assert.Equal(1, after.SkippedLines);
        string[] lines = await File.ReadAllLinesAsync(ledger.FilePath);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("""{"sessionId":"s-2",""", lines[2], StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_DamagedLines_AreSkippedAndCounted()
    {
        string path = Path.Combine(_dataDir, "sessions.jsonl");
        string[] lines =
        [
            """{"sessionId":"s-1","createdAt":"2026-03-01T09:00:00+00:00","compactions":0}""",
            """{"sessionId":null}""",
            """{"sessionId":""}""",
            """{"parentSessionId":"s-1"}""",
            """{"sessionId":"s-2","compactions":null}""",
            """{"sessionId":"s-3","createdAt":"yesterday"}""",
            "",
            """{"sessionId":"s-4"}""",
        ];
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n");

        LedgerReadResult<SessionRecord> result = SessionLedger.Read(path);

        Assert.Equal(["s-1", "s-4"], result.Records.Select(session => session.SessionId));
        Assert.Equal(5, result.SkippedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_MissingFile_IsEmptyAndCreatesNothing()
    {
        var ledger = new SessionLedger(Path.Combine(_dataDir, "nothing-here"));

        Assert.Empty(ledger.ReadAll());
        Assert.Equal(LedgerReadResult<SessionRecord>.Empty, SessionLedger.Read(ledger.FilePath));
        Assert.False(Directory.Exists(Path.GetDirectoryName(ledger.FilePath)));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_SessionWithoutId_Throws()
    {
        var ledger = new SessionLedger(_dataDir);

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.AppendAsync(new SessionRecord { SessionId = "" }, CancellationToken.None));
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_BothLedgersOfADataDirAtOnce_EveryRecordIsIntactInItsOwnFile()
    {
        var sessions = new SessionLedger(_dataDir);
        var compactions = new CompactionLedger(_dataDir);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => i % 2 == 0
            ? sessions.AppendAsync(Session($"s-{i:D3}") with { UsedTokens = i }, CancellationToken.None)
            : compactions.AppendAsync(new CompactionRecord { Id = $"cmp-{i:D3}", SessionId = "s-000", At = T0, Source = CompactionSources.ToolCall }, CancellationToken.None))));

        LedgerReadResult<SessionRecord> sessionLines = SessionLedger.Read(sessions.FilePath);
        Assert.Equal(0, sessionLines.SkippedLines);
        Assert.Equal(50, sessionLines.Records.Count);
        Assert.All(sessionLines.Records, session => Assert.Equal($"s-{session.UsedTokens:D3}", session.SessionId));
        LedgerReadResult<CompactionRecord> compactionLines = CompactionLedger.Read(compactions.FilePath);
        Assert.Equal(0, compactionLines.SkippedLines);
        Assert.Equal(50, compactionLines.Records.Count);
    }
}
