using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Tests.Features.Compaction;

public class CompactionTrackerTests
{
    private const int Timeout = 10_000;

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    private CompactionTracker Tracker() => new(_time, TimeSpan.FromSeconds(10));

    private static CompactionSignal Wire(string source, string? key, SignalPhase phase, CompactionFacts? facts = null, string session = "s") =>
        new(session, source, key, phase, facts ?? CompactionFacts.None);

    private static TranscriptBoundary Boundary(string uuid, long pre, string trigger = "auto", long post = 2500, long duration = 40) =>
        new(uuid, "s", null, null, new CompactionFacts(trigger, pre, post, duration));

    [Fact(Timeout = Timeout)]
    public async Task ToolCallThenTranscript_OneRecordThenOneEnrichment()
    {
        CompactionTracker tracker = Tracker();

        Assert.Empty(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Started), 1_000_000));
        Assert.Empty(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Completed), 1_000_000));
        TrackerAction recorded = Assert.Single(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Update, new("auto", 990012, 2560, 40)), 1_000_000));
        TrackerAction enriched = Assert.Single(tracker.Observe("s", Boundary("u1", 990012, post: 2560), 1_000_000));

        Assert.True(recorded.IsNew);
        Assert.Equal(990012, recorded.Record.PreTokens);
        Assert.Equal(CompactionSources.ToolCall, recorded.Record.Source);
        Assert.Equal(1_000_000, recorded.Record.ContextWindow);
        Assert.False(enriched.IsNew);
        Assert.Equal(recorded.Record.Id, enriched.Record.Id);
        Assert.Equal("u1", enriched.Record.BoundaryUuid);
        Assert.Empty(tracker.Observe("s", Boundary("u1", 990012), 1_000_000));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task CompactionUpdateWithoutCounts_WaitsForTheTranscript()
    {
        CompactionTracker tracker = Tracker();

        Assert.Empty(tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Started), null));
        Assert.Empty(tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Completed), null));
        Assert.Empty(tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Completed), null));
        Assert.Equal(["s"], tracker.SessionsAwaitingTranscript());
        Assert.Null(tracker.KnownFacts("s", "c1"));

        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary("u1", 1206, "manual"), null));

        Assert.True(recorded.IsNew);
        Assert.Equal(CompactionSources.CompactionUpdate, recorded.Record.Source);
        Assert.Equal(("manual", 1206L), (recorded.Record.Trigger, recorded.Record.PreTokens!.Value));
        Assert.Equal(1206, tracker.KnownFacts("s", "c1")?.PreTokens);
        Assert.Empty(tracker.SessionsAwaitingTranscript());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TranscriptFirstThenWire_StillOneRecord()
    {
        CompactionTracker tracker = Tracker();

        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary("u1", 990010), 1_000_000));
        _time.Advance(TimeSpan.FromMilliseconds(50));
        IReadOnlyList<TrackerAction> later =
        [
            .. tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Started), 1_000_000),
            .. tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Completed), 1_000_000),
            .. tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Update, new("auto", 990010, 2500, 40)), 1_000_000),
        ];

        Assert.Equal(CompactionSources.Transcript, recorded.Record.Source);
        Assert.DoesNotContain(later, a => a.IsNew);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ThreeSignalsForOneCompaction_OneRecord()
    {
        CompactionTracker tracker = Tracker();
        var facts = new CompactionFacts("auto", 700000, 3000, 50);

        var actions = new List<TrackerAction>();
        actions.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Update, facts), null));
        actions.AddRange(tracker.Observe(Wire(CompactionSources.JetBrainsMeta, "t1", SignalPhase.Update, facts), null));
        actions.AddRange(tracker.Observe(Wire(CompactionSources.CompactBoundaryUpdate, null, SignalPhase.Completed, new("auto", 700000, null, null)), null));
        actions.AddRange(tracker.Observe("s", Boundary("u9", 700000, post: 3000, duration: 50), null));

        Assert.Single(actions, a => a.IsNew);
        Assert.Single(actions.Select(a => a.Record.Id).Distinct());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TwoCompactionsInOneSessionAndOneInAnother_ThreeRecords()
    {
        CompactionTracker tracker = Tracker();

        var recorded = new List<TrackerAction>();
        recorded.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Update, new("manual", 1206, 2516, 30)), null));
        recorded.AddRange(tracker.Observe("s", Boundary("u1", 1206, "manual"), null));
        _time.Advance(TimeSpan.FromMinutes(5));
        recorded.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t2", SignalPhase.Update, new("manual", 1206, 2516, 30)), null));
        recorded.AddRange(tracker.Observe("s", Boundary("u2", 1206, "manual"), null));
        recorded.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Update, new("auto", 5000, 100, 1), session: "other"), null));

        Assert.Equal(3, recorded.Count(a => a.IsNew));
        Assert.Equal(3, recorded.Select(a => a.Record.Id).Distinct().Count());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task CompletedWithoutCountsAndNoTranscript_IsRecordedAfterTheWait()
    {
        CompactionTracker tracker = Tracker();
        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Completed), 200_000);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(tracker.Expire());
        _time.Advance(TimeSpan.FromSeconds(2));
        TrackerAction recorded = Assert.Single(tracker.Expire());

        Assert.Null(recorded.Record.PreTokens);
        Assert.Equal(200_000, recorded.Record.ContextWindow);

        // The transcript arriving after all adds its facts to the same record.
        TrackerAction enriched = Assert.Single(tracker.Observe("s", Boundary("u1", 150000), null));
        Assert.False(enriched.IsNew);
        Assert.Equal(150000, enriched.Record.PreTokens);
        Assert.Equal(recorded.Record.Id, enriched.Record.Id);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Failed_NothingShowsItFlattened_IsForgottenAndNeverRecorded()
    {
        CompactionTracker tracker = Tracker();
        tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Started), 200_000);
        string? expected = tracker.UnrecordedId("s", "t1");

        // "Not enough messages to compact", or the summary request failed: the agent wrote no boundary.
        Assert.True(tracker.Abandon(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Failed), out string? abandoned));

        Assert.NotNull(expected);
        Assert.Equal(expected, abandoned);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(tracker.Expire());
        Assert.Empty(tracker.Flush());
        Assert.Empty(tracker.SessionsAwaitingTranscript());

        // A failure whose start was never seen is nothing to forget, and nothing to record either.
        Assert.True(tracker.Abandon(Wire(CompactionSources.CompactionUpdate, "c9", SignalPhase.Failed), out string? none));
        Assert.Null(none);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Failed_AfterItsBoundaryWasRead_IsStillTheCompactionItWas()
    {
        CompactionTracker tracker = Tracker();
        tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Started), 200_000);
        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary("u1", 150000), null));

        Assert.False(tracker.Abandon(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Failed), out string? abandoned));
        Assert.Null(abandoned);
        Assert.Empty(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Failed), 200_000));
        Assert.Equal(recorded.Record.Id, tracker.KnownFacts("s", "t1")?.Id);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Flush_RecordsWhatEndedAndWaits_IgnoresWhatNeverEnded()
    {
        CompactionTracker tracker = Tracker();
        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "ended", SignalPhase.Completed), null);
        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "running", SignalPhase.Started, session: "s2"), null);

        TrackerAction flushed = Assert.Single(tracker.Flush());

        Assert.Equal("s", flushed.Record.SessionId);
        await Task.CompletedTask;
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
