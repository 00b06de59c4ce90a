using AcpHost.Events;
using AcpHost.Telemetry;

namespace AcpHost.Tests.Telemetry;

public sealed class CompactionHoldTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact(Timeout = 10_000)]
    public async Task Take_CountsNeverCome_LeavesAsItIsAfterTheHold()
    {
        await Task.Yield();
        var hold = new CompactionHold();
        Assert.Null(hold.Take(Compaction("c-1"), Now));
        Assert.Empty(hold.Due(Now + CompactionHold.MaxHold - TimeSpan.FromSeconds(1)));

        CompactionRecorded due = Assert.Single(hold.Due(Now + CompactionHold.MaxHold));
        Assert.Equal("c-1", due.Record.Id);
        Assert.Null(due.Record.PostTokens);
        Assert.Null(hold.NextDue);

        // Its counts arriving after it left export nothing more.
        Assert.Null(hold.Take(Compaction("c-1", postTokens: 5, isUpdate: true), Now + CompactionHold.MaxHold));
    }

    [Fact(Timeout = 10_000)]
    public async Task Take_Complete_ExportedAtOnceAndOnlyOnce()
    {
        await Task.Yield();
        var hold = new CompactionHold();
        Assert.NotNull(hold.Take(Compaction("c-2", postTokens: 10), Now));
        Assert.Null(hold.Take(Compaction("c-2", postTokens: 10), Now));
        Assert.Null(hold.NextDue);
    }

    [Fact(Timeout = 10_000)]
    public async Task Take_FlattenedInTheUpdate_TheExportedCompactionCarriesIt()
    {
        await Task.Yield();
        var hold = new CompactionHold();
        var flattened = new FlattenedSpecifics
        {
            Files = new() { Seen = 1, Dropped = 1, Items = [new() { Name = "a.cs", Uses = 1 }] },
            Commands = FlattenedKind.None,
            Urls = FlattenedKind.None,
            ToolErrors = FlattenedKind.None,
            Summary = FlattenedSpecifics.Marked,
            FromLine = 1,
            ToLine = 2,
        };
        Assert.Null(hold.Take(Compaction("c-3"), Now));

        CompactionRecorded? sent = hold.Take(CompactionRecorded.Of(Compaction("c-3").Record with { PostTokens = 10, Flattened = flattened }, isUpdate: true), Now);

        Assert.Same(flattened, sent?.Record.Flattened);
    }


    private static CompactionRecorded Compaction(string id, long? postTokens = null, bool isUpdate = false) => CompactionRecorded.Of(
        new CompactionRecord { Id = id, SessionId = "s", Trigger = "auto", PreTokens = 100, PostTokens = postTokens, Source = "wire", At = Now },
        isUpdate);
}
