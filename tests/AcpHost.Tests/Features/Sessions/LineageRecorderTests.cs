using AcpHost.Events;
using AcpHost.Features.Sessions;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Sessions;

/// <summary>What the session ledger says while a host runs: fills no staler than promised, lineage of reopened forks.</summary>
public sealed class LineageRecorderTests : IAsyncDisposable
{
    private const int Timeout = 30_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-lineage-").FullName;
    private readonly SessionRegistry _sessions = new();
    private readonly TimerWatch _clock = new();
    private readonly LineageRecorder _lineage;

    public LineageRecorderTests()
    {
        _lineage = new LineageRecorder(_sessions, new SessionLedger(_folder), _clock, new ListLogger<LineageRecorder>());
        Assert.True(_lineage.StartAsync(CancellationToken.None).IsCompletedSuccessfully, "starting the loop must not wait on it");
    }

    public async ValueTask DisposeAsync()
    {
        await _lineage.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private SessionRecord? Recorded(string sessionId) =>
        new SessionLedger(_folder).ReadAll().FirstOrDefault(record => record.SessionId == sessionId);

    [Fact(Timeout = 120_000)]
    public async Task SessionOpened_ABurstFasterThanTheDisk_EverySessionReachesTheLedger()
    {
        // More sessions than a queue of one line each held (4,096), opened faster than one fsync each: coalesced and
        // written in batches, none is dropped.
        const int Burst = 5_000;
        for (int i = 0; i < Burst; i++)
        {
            _sessions.Open(new SessionInfo("s-" + i, "/work", DateTimeOffset.UtcNow, "session/new", null));
        }

        await Conditions.UntilAsync(() => new SessionLedger(_folder).ReadAll().Count == Burst, TimeSpan.FromSeconds(90), "every session in the ledger");
    }

    [Fact(Timeout = Timeout)]
    public async Task UsageChanged_RightAfterAWrite_StillReachesTheLedgerWithinTheStalenessBound()
    {
        _sessions.Open(new SessionInfo("s", "/work", DateTimeOffset.UtcNow, "session/new", null));
        _sessions.RecordUsage("s", 1_001, 1_000_000);
        await Conditions.UntilAsync(() => Recorded("s")?.UsedTokens == 1_001, TimeSpan.FromSeconds(10), "the first fill in the ledger");

        // The next change comes within the write interval and no other follows: the sweep must still write it.
        _sessions.RecordUsage("s", 1_010, 1_000_000);
        TimeSpan lag = await Conditions.UntilAsync(() => Recorded("s")?.UsedTokens == 1_010, TimeSpan.FromSeconds(20), "the second fill in the ledger");

        // Measured on the wall clock from a busy test machine: the bound plus what a loaded disk and scheduler add.
        Assert.True(lag <= LineageRecorder.MaxStaleness + TimeSpan.FromSeconds(3), $"the fill reached the ledger after {lag.TotalSeconds:N1} s");
        Assert.Equal(TimeSpan.FromSeconds(5), LineageRecorder.MaxStaleness);

        // Nothing waits any more: the sweep timer stops, so an idle host wakes no thread for it.
        await Conditions.UntilAsync(() => _clock.Armed == 0, TimeSpan.FromSeconds(10), "the sweep timer disarmed once every fill is written");
    }

    [Fact(Timeout = Timeout)]
    public async Task Idle_NoFillWaiting_NoSweepTimerIsArmed()
    {
        _sessions.Open(new SessionInfo("s", "/work", DateTimeOffset.UtcNow, "session/new", null));
        await Conditions.UntilAsync(() => Recorded("s") is not null, TimeSpan.FromSeconds(10), "the session in the ledger");

        // Written at once, nothing held back: over more than one sweep interval no timer is armed.
        Assert.True(await Conditions.HoldsForAsync(() => _clock.Armed == 0, LineageRecorder.SweepInterval * 1.5), "an idle recorder armed its sweep timer");
    }

    [Fact(Timeout = Timeout)]
    public async Task SessionOpened_ByResumeOfAKnownFork_RegistryLearnsItsParentFromTheLedger()
    {
        await new SessionLedger(_folder).AppendAsync(new SessionRecord { SessionId = "fork", ParentSessionId = "parent", ForkReason = "command", Cwd = "/work", CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);

        _sessions.Open(new SessionInfo("fork", "/work", DateTimeOffset.UtcNow, "session/resume", null));

        await Conditions.UntilAsync(() => _sessions.Find("fork")?.ParentSessionId == "parent", TimeSpan.FromSeconds(10), "the parent learnt from the ledger");
        Assert.Equal("command", _sessions.Find("fork")!.ForkReason);
        Assert.Equal(("parent", "command"), (Recorded("fork")!.ParentSessionId, Recorded("fork")!.ForkReason));
    }
}
