using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Relay.Protocol;
using AcpHost.State;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>
/// The agent's idle compaction: the wire says <c>idle</c>, the transcript says <c>manual</c> for the same boundary.
/// Whatever order they come in, one record, trigger <c>idle</c>; and where the wire names no trigger, the turn decides.
/// </summary>
public class IdleTriggerTests
{
    private const int Timeout = 10_000;
    private const long Pre = 151_234;

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    private static CompactionSignal Wire(string source, string key, SignalPhase phase, CompactionFacts? facts = null) =>
        new("s", source, key, phase, facts ?? CompactionFacts.None);

    private static TranscriptBoundary Boundary(string trigger, string uuid = "u1") =>
        new(uuid, "s", null, null, new CompactionFacts(trigger, Pre, 2_600, 45));

    private static CompactionFacts WireFacts(string trigger) => new(trigger, Pre, 2_600, 45);

    [Fact(Timeout = Timeout)]
    public async Task Observe_WireIdleThenTranscriptManual_OneRecordTriggeredIdle()
    {
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10));

        var actions = new List<TrackerAction>();
        actions.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Started), 1_000_000));
        actions.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Completed, WireFacts("idle")), 1_000_000));
        actions.AddRange(tracker.Observe("s", Boundary("manual"), 1_000_000));

        TrackerAction recorded = Assert.Single(actions, a => a.IsNew);
        Assert.Equal("idle", recorded.Record.Trigger);
        Assert.All(actions, a => Assert.Equal(("idle", recorded.Record.Id), (a.Record.Trigger, a.Record.Id)));
        Assert.Equal("u1", actions[^1].Record.BoundaryUuid);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Observe_TranscriptManualThenWireIdle_OneRecordThatEndsIdle()
    {
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10));

        // The transcript read first knows no better than manual; the wire's idle then refines the same record.
        TrackerAction first = Assert.Single(tracker.Observe("s", Boundary("manual"), null));
        _time.Advance(TimeSpan.FromMilliseconds(30));
        var later = new List<TrackerAction>();
        later.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Started), null));
        later.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Completed, WireFacts("idle")), null));
        later.AddRange(tracker.Observe("s", Boundary("manual"), null));

        Assert.True(first.IsNew);
        TrackerAction refined = Assert.Single(later);
        Assert.False(refined.IsNew);
        Assert.Equal((first.Record.Id, "idle"), (refined.Record.Id, refined.Record.Trigger));
        Assert.Equal("idle", first.Record.Enrich(refined.Record).Trigger);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Observe_TranscriptManualBetweenWireStartAndWireIdle_RecordedIdleFromTheStart()
    {
        // The agent's opening update, then its terminal one without counts: the poll reads the transcript before the
        // update that carries the facts. No prompt is in flight, so the transcript's manual is already taken for idle.
        var turns = new SessionTurns();
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10), turns);

        var actions = new List<TrackerAction>();
        actions.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Started), null));
        actions.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Completed), null));
        actions.AddRange(tracker.Observe("s", Boundary("manual"), null));
        actions.AddRange(tracker.Observe(Wire(CompactionSources.ToolCall, "t1", SignalPhase.Update, WireFacts("idle")), null));

        TrackerAction recorded = Assert.Single(actions, a => a.IsNew);
        Assert.Equal("idle", recorded.Record.Trigger);
        Assert.All(actions, a => Assert.Equal("idle", a.Record.Trigger));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Observe_CompactionUpdateOutsideAnyTurn_TranscriptManualRecordedIdle()
    {
        var turns = new SessionTurns();
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10), turns);
        turns.PromptSent(new RequestId(1), "s", isCompact: false);
        Assert.Equal("s", turns.PromptAnswered(new RequestId(1)));

        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Started), null);
        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Completed), null);
        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary("manual"), null));

        Assert.Equal(("idle", Pre), (recorded.Record.Trigger, recorded.Record.PreTokens!.Value));
        Assert.Equal("idle", tracker.KnownFacts("s", "c1")?.Trigger);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("/compact", false, "manual", "manual")]
    [InlineData("/compact keep the API notes", true, "manual", "manual")]
    [InlineData("Say hello", false, "manual", "manual")]
    [InlineData("Say hello", false, "auto", "auto")]
    [InlineData("Say hello", true, "manual", "idle")]
    public async Task Observe_CompactionUpdate_TriggerFollowsTheTurn(string prompt, bool answeredFirst, string transcriptTrigger, string expected)
    {
        // A compaction while a prompt is in flight is that prompt's; a client /compact is awaited even after its prompt
        // was answered (ACP v2 answers before the turn runs); only what begins outside both is the agent's idle one.
        var turns = new SessionTurns();
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10), turns);
        turns.PromptSent(new RequestId(7), "s", isCompact: prompt.StartsWith("/compact", StringComparison.Ordinal));
        if (answeredFirst)
        {
            turns.PromptAnswered(new RequestId(7));
        }

        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Started), null);
        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Completed), null);
        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary(transcriptTrigger), null));

        Assert.Equal(expected, recorded.Record.Trigger);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Observe_AutoOutsideAnyTurn_StaysAuto()
    {
        // The CLI's own automatic compaction inside the agent's idle /compact turn stays automatic.
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10), new SessionTurns());

        tracker.Observe(Wire(CompactionSources.CompactionUpdate, "c1", SignalPhase.Completed), null);
        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary("auto"), null));

        Assert.Equal("auto", recorded.Record.Trigger);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("manual", "idle", "idle")]
    [InlineData("idle", "manual", "idle")]
    [InlineData(null, "idle", "idle")]
    [InlineData("auto", null, "auto")]
    [InlineData("auto", "manual", "auto")]
    public async Task Merge_TwoReportsOfOneCompaction_IdleBeatsManual(string? first, string? second, string expected)
    {
        Assert.Equal(expected, CompactionTriggers.Merge(first, second));
        Assert.Equal("idle", CompactionTriggers.Normalize(" IDLE "));
        Assert.Equal("auto", CompactionTriggers.Normalize("automatic"));
        await Task.CompletedTask;
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
