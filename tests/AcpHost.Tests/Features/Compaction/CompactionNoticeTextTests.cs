using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>The compaction notice's line of what the summary no longer names, and where the replaced turns still are.</summary>
public class CompactionNoticeTextTests
{
    private const int Timeout = 10_000;

    private static readonly FlattenedSpecifics Flattened = new()
    {
        Files = new()
        {
            Seen = 14,
            Dropped = 5,
            Items = [.. new[] { "/w/src/Relay/LineFramer.cs", "/w/a.cs", "/w/b.cs", "/w/c.cs", "/elsewhere/d.cs" }.Select((n, i) => new FlattenedItem { Name = n, Uses = 5 - i })],
        },
        Commands = new() { Seen = 2, Dropped = 1, Items = [new() { Name = "dotnet test " + new string('x', 100), Uses = 1 }] },
        Urls = FlattenedKind.None,
        ToolErrors = new() { Seen = 1, Dropped = 1, Items = [new() { Name = "Read", Uses = 2 }] },
        Summary = FlattenedSpecifics.Marked,
        Transcript = "/home/u/.claude/projects/-w/s.jsonl",
        FromLine = 3,
        ToLine = 1_204,
    };

    private static CompactionRecord Record(FlattenedSpecifics? flattened) =>
        new() { Id = "c1", SessionId = "s", Trigger = "auto", PreTokens = 990_000, PostTokens = 12_000, At = DateTimeOffset.UnixEpoch, Source = "tool_call", Flattened = flattened };

    [Fact(Timeout = Timeout)]
    public async Task For_WithoutAFork_NamesThreePerKindRelativeToTheCwdAndTheTranscriptsLines()
    {
        HostNotice notice = CompactionNoticeText.For(Record(Flattened), forkBefore: null, cwd: "/w");

        Assert.Equal(
            "The summary no longer names 5 of 14 files you worked with: src/Relay/LineFramer.cs, a.cs, b.cs and 2 more; "
            + $"1 of 2 commands run: `dotnet test {new string('x', 68)}…`; 1 of 1 failed tool: Read (2 errors) — they are still in the transcript /home/u/.claude/projects/-w/s.jsonl, lines 3–1,204.",
            notice.Parts[^1]);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task For_WithTheForkBefore_SaysTheForkStillHasTheWholeHistory()
    {
        var fork = new SessionRecord { SessionId = "f-1", ParentSessionId = "s", ForkReason = "pre-compact", CreatedAt = DateTimeOffset.UnixEpoch };

        HostNotice notice = CompactionNoticeText.For(Record(Flattened), fork, cwd: "/w");

        Assert.EndsWith("— fork f-1 still has the whole history.", notice.Parts[^1], StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task For_NotKnownYetOrNothingUsed_NoLine()
    {
        var none = Flattened with { Files = FlattenedKind.None, Commands = FlattenedKind.None, ToolErrors = FlattenedKind.None };

        Assert.Equal(2, CompactionNoticeText.For(Record(null), forkBefore: null).Parts.Count);
        Assert.Equal(2, CompactionNoticeText.For(Record(none), forkBefore: null).Parts.Count);
        await Task.CompletedTask;
    }
}
