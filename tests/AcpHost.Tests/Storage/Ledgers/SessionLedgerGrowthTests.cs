using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Sessions;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Storage.Ledgers;

/// <summary>sessions.jsonl gains a line per fill change; it must stay small, and quick to read, over months of use.</summary>
public sealed class SessionLedgerGrowthTests : IDisposable
{
    private const int Timeout = 120_000;

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-growth-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static SessionRecord Fill(int session, long used, DateTimeOffset createdAt) => new()
    {
        SessionId = $"{session:x8}-1c2d-4e5f-8a9b-{session:x12}",
        ParentSessionId = session % 3 == 0 ? $"{session - 1:x8}-1c2d-4e5f-8a9b-{session - 1:x12}" : null,
        ForkReason = session % 3 == 0 ? "client" : null,
        Cwd = "/home/user/projects/some-busy-project",
        CreatedAt = createdAt,
        UsedTokens = used,
        ContextWindow = 1_000_000,
    };

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_ManyFillUpdates_FileIsFoldedAndKeepsEveryLatestFill()
    {
        var schema = new LedgerSchema<SessionRecord>
        {
            TypeInfo = LedgerJsonContext.Default.SessionRecord,
            IdOf = static record => record.SessionId,
            Merge = static (earlier, later) => earlier.Enrich(later),
            Order = static (a, b) => string.CompareOrdinal(a.SessionId, b.SessionId),
            CompactAboveBytes = 8 * 1024,
        };
        var ledger = new JsonLinesLedger<SessionRecord>(Path.Combine(_dataDir, "sessions.jsonl"), schema);
        long largest = 0;
        for (int update = 1; update <= 400; update++)
        {
            await ledger.AppendAsync(Fill(update % 4, update * 100, T0.AddMinutes(update % 4)), CancellationToken.None);
            largest = Math.Max(largest, new FileInfo(ledger.FilePath).Length);
        }

        // 400 lines of ~300 bytes would be ~120 KB; folded the file never passes its threshold by more than a line.
        Assert.InRange(largest, 1, (8 * 1024) + 512);
        LedgerReadResult<SessionRecord> read = ledger.Read();
        Assert.Equal(0, read.SkippedLines);
        Assert.Equal([39_700L, 39_800L, 39_900L, 40_000L], read.Records.Select(r => r.UsedTokens!.Value).Order());

        // What a fold keeps: the first parent and reason, the latest fill.
        SessionRecord fork = read.Records.Single(r => r.SessionId == Fill(3, 0, T0).SessionId);
        Assert.Equal(("client", 39_900L), (fork.ForkReason, fork.UsedTokens!.Value));
        Assert.False(File.Exists(ledger.FilePath + ".compacting"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_AYearOfABusyUsersSessions_TakesUnderASecond()
    {
        // A busy year: 40 sessions a working day, 260 days. Between folds a writer lets the file grow to twice its
        // folded size, so the most a reader ever meets is every session once plus as many bytes again of fill lines.
        var ledger = new SessionLedger(_dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(ledger.FilePath)!);
        const int Sessions = 40 * 260;
        var folded = new StringBuilder();
        for (int session = 0; session < Sessions; session++)
        {
            folded.Append(JsonSerializer.Serialize(Fill(session, 400_000, T0.AddMinutes(session * 13)), LedgerJsonContext.Default.SessionRecord)).Append('\n');
        }

        var updates = new StringBuilder();
        for (int line = 0; updates.Length < folded.Length; line++)
        {
            updates.Append(JsonSerializer.Serialize(Fill(Sessions - 1 - (line % 40), 400_000 + line, T0), LedgerJsonContext.Default.SessionRecord)).Append('\n');
        }

        await File.WriteAllTextAsync(ledger.FilePath, folded.ToString() + updates);

        // The reader's own time: CPU time of this thread (the read is synchronous), so a machine busy with other work
        // does not count against it; the wall clock is reported alongside.
        var watch = Stopwatch.StartNew();
        TimeSpan cpuBefore = ThreadCpuTime.Now();
        IReadOnlyList<SessionRecord> records = ledger.ReadAll();
        TimeSpan cpu = ThreadCpuTime.Now() - cpuBefore;
        watch.Stop();

        Assert.Equal(Sessions, records.Count);
        Assert.True(cpu < TimeSpan.FromSeconds(1), $"reading {new FileInfo(ledger.FilePath).Length:N0} bytes took {cpu.TotalMilliseconds:N0} ms of CPU ({watch.ElapsedMilliseconds:N0} ms on the clock)");

        // The next fill update folds it back to one line per session.
        long before = new FileInfo(ledger.FilePath).Length;
        await ledger.AppendAsync(Fill(5, 123, T0.AddMinutes(5 * 13)), CancellationToken.None);
        long after = new FileInfo(ledger.FilePath).Length;
        Assert.True(after <= folded.Length + 1024, $"{before:N0} bytes became {after:N0}, folded is {folded.Length:N0}");
        Assert.Equal(123, ledger.ReadAll().Single(r => r.SessionId == Fill(5, 0, T0).SessionId).UsedTokens);
    }
}
