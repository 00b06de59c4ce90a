using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>
/// What the summary no longer names joins its compaction in the tracker: in the record when it comes first, as an
/// update under the record's id when the record was already written, kept a while when its boundary is not tracked yet.
/// </summary>
public class CompactionTrackerFlattenedTests
{
    private const int Timeout = 10_000;

    private static readonly FlattenedSpecifics Flattened = new()
    {
        Files = new() { Seen = 2, Dropped = 1, Items = [new() { Name = "/r/b.cs", Uses = 1 }] },
        Commands = FlattenedKind.None,
        Urls = FlattenedKind.None,
        ToolErrors = FlattenedKind.None,
        Summary = FlattenedSpecifics.Marked,
        FromLine = 1,
        ToLine = 9,
    };

    // Nothing here waits for the transcript: the clock only stamps records.
    private readonly TimeProvider _time = TimeProvider.System;

    private static TranscriptBoundary Boundary(string uuid, long pre) => new(uuid, "s", null, null, new CompactionFacts("manual", pre, 2500, 40));

    private static CompactionSignal Wire(SignalPhase phase, CompactionFacts? facts = null) =>
        new("s", CompactionSources.ToolCall, "t1", phase, facts ?? CompactionFacts.None);

    [Fact(Timeout = Timeout)]
    public async Task ObserveFlattened_RecordAlreadyWritten_AnUpdateUnderItsIdCarriesIt()
    {
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10));
        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary("u1", 1206), null));
        Assert.Null(recorded.Record.Flattened);

        TrackerAction update = Assert.Single(tracker.ObserveFlattened("s", Boundary("u1", 1206), Flattened));

        Assert.False(update.IsNew);
        Assert.Equal(recorded.Record.Id, update.Record.Id);
        Assert.Same(Flattened, update.Record.Flattened);
        Assert.Empty(tracker.ObserveFlattened("s", Boundary("u1", 1206), Flattened));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ObserveFlattened_BeforeItsBoundaryIsTracked_TheRecordCarriesItWhenTheBoundaryComes()
    {
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10));

        Assert.Empty(tracker.ObserveFlattened("s", Boundary("u2", 1206), Flattened));
        TrackerAction recorded = Assert.Single(tracker.Observe("s", Boundary("u2", 1206), null));

        Assert.True(recorded.IsNew);
        Assert.Same(Flattened, recorded.Record.Flattened);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ObserveFlattened_WireCompactionNotTiedToABoundaryYet_JoinedBySamePreTokens()
    {
        var tracker = new CompactionTracker(_time, TimeSpan.FromSeconds(10));
        Assert.Empty(tracker.Observe(Wire(SignalPhase.Started), null));
        Assert.Empty(tracker.Observe(Wire(SignalPhase.Completed), null));
        TrackerAction recorded = Assert.Single(tracker.Observe(Wire(SignalPhase.Update, new("manual", 1206, null, null)), null));

        TrackerAction update = Assert.Single(tracker.ObserveFlattened("s", Boundary("u3", 1206), Flattened));

        Assert.Equal(recorded.Record.Id, update.Record.Id);
        Assert.Same(Flattened, update.Record.Flattened);
        await Task.CompletedTask;
    }
}
