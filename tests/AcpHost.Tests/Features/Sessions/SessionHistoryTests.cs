using AcpHost.Events;
using AcpHost.State;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Tests.Features.Sessions;

/// <summary>Which fork holds what a compaction flattened, from the ledgers and the live sessions.</summary>
public sealed class SessionHistoryTests : IDisposable
{
    private const int Timeout = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-history-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CompactionRecord Compaction(string id, int minute) => new() { Id = id, SessionId = "p", At = Start.AddMinutes(minute), Source = "tool_call" };

    [Fact(Timeout = Timeout)]
    public async Task ForkBefore_TheLatestForkSinceTheCompactionBefore_NotOneFromBeforeThat()
    {
        var sessions = new SessionRegistry();
        sessions.Open(new SessionInfo("p", "/w", Start, "session/new", null));
        sessions.Open(new SessionInfo("early", "/w", Start.AddMinutes(5), "session/fork", "p"));
        sessions.Open(new SessionInfo("later", "/w", Start.AddMinutes(15), "session/fork", "p"));
        var ledger = new SessionLedger(_folder);
        await ledger.AppendAsync(new SessionRecord { SessionId = "from-another-host", ParentSessionId = "p", CreatedAt = Start.AddMinutes(25) }, CancellationToken.None);
        var history = new SessionHistory(sessions, ledger, new CompactionLedger(_folder));
        IReadOnlyDictionary<string, SessionRecord> all = history.Sessions();
        CompactionRecord[] compactions = [Compaction("c1", 10), Compaction("c2", 20), Compaction("c3", 30), Compaction("c4", 40)];

        Assert.Equal("early", SessionHistory.ForkBefore(all, compactions, compactions[0])?.SessionId);
        Assert.Equal("later", SessionHistory.ForkBefore(all, compactions, compactions[1])?.SessionId);
        Assert.Equal("from-another-host", SessionHistory.ForkBefore(all, compactions, compactions[2])?.SessionId);
        Assert.Null(SessionHistory.ForkBefore(all, compactions, compactions[3]));
    }

    [Fact(Timeout = Timeout)]
    public async Task Sessions_TheLiveViewIsFoldedOverTheLedgersLine()
    {
        var sessions = new SessionRegistry();
        var ledger = new SessionLedger(_folder);
        await ledger.AppendAsync(new SessionRecord { SessionId = "f", ParentSessionId = "p", ForkReason = "command", ForkNote = "note", CreatedAt = Start, UsedTokens = 10 }, CancellationToken.None);
        sessions.Open(new SessionInfo("f", "/w", Start.AddHours(1), "session/resume", null));
        sessions.RecordUsage("f", 500, 1_000);

        SessionRecord f = new SessionHistory(sessions, ledger, new CompactionLedger(_folder)).Sessions()["f"];

        Assert.Equal(("p", "command", "note", Start, 500L), (f.ParentSessionId, f.ForkReason, f.ForkNote, f.CreatedAt!.Value, f.UsedTokens!.Value));
    }
}
