using System.Text;
using System.Text.Json.Nodes;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using static AcpHost.Tests.Storage.Transcripts.SegmentLines;

namespace AcpHost.Tests.Storage.Transcripts;

/// <summary>
/// What a compaction's summary no longer names, on generated transcripts with known dropped and kept specifics: the
/// rules of <see cref="SegmentVerdict"/> one by one, and the reader's handling of segments and boundaries.
/// </summary>
public sealed class SegmentReaderTests
{
    private const int Timeout = 10_000;

    private static FlattenedSpecifics Only(params string[] lines) => Assert.Single(SegmentReaderSampleTests.Read(lines)).Flattened;

    private static string[] Dropped(FlattenedKind kind) => [.. kind.Items.Select(i => i.Name)];

    [Fact(Timeout = Timeout)]
    public async Task Read_PathNamedOnlyByItsFileName_KeptWhileNoOtherFileHasThatName()
    {
        FlattenedSpecifics flattened = Only(
            Read("t1", "/r/src/Relay/LineFramer.cs"), Result("t1"),
            Read("t2", "/r/src/Relay/Pump.cs"), Result("t2"),
            Text(), Boundary(), Summary("Reworked LineFramer.cs so that it frames CRLF."));

        Assert.Equal((2, 1), (flattened.Files.Seen, flattened.Files.Dropped));
        Assert.Equal(["/r/src/Relay/Pump.cs"], Dropped(flattened.Files));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_FileNameTwoFilesShare_NamesNeitherUnlessALongerPartIsGiven()
    {
        FlattenedSpecifics flattened = Only(
            Read("t1", "/r/api/README.md"), Result("t1"),
            Read("t2", "/r/cli/README.md"), Result("t2"),
            Read("t3", "/r/cli/main.go"), Result("t3"),
            Text(), Boundary(), Summary("Updated README.md in cli/README.md terms; main.go is next."));

        // "README.md" alone is ambiguous here; "cli/README.md" is not.
        Assert.Equal(["/r/api/README.md"], Dropped(flattened.Files));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_PathsQuotedWithBackticksAndPunctuation_AreNamed()
    {
        FlattenedSpecifics flattened = Only(
            Read("t1", "/r/src/Relay/LineFramer.cs"), Result("t1"),
            Read("t2", "/r/docs/notices.md"), Result("t2"),
            Read("t3", "/r/tests/Load.cs"), Result("t3"),
            Text(), Boundary(),
            Summary("1. Edited `src/Relay/LineFramer.cs` (see [notes](/r/docs/notices.md)).\n2. The load test is in `tests/Load.cs:42`."));

        Assert.Equal((3, 0), (flattened.Files.Seen, flattened.Files.Dropped));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_CommandsWhoseFirstWordsRecur_EachKeptByItsFirstTwoWords()
    {
        FlattenedSpecifics flattened = Only(
            Bash("t1", "dotnet test --filter Relay"), Result("t1"),
            Bash("t2", "dotnet test --filter Notices"), Result("t2"),
            Bash("t3", "git status"), Result("t3"),
            Bash("t4", "git diff --stat"), Result("t4"),
            Bash("t5", "cd /r && npm run build"), Result("t5"),
            Bash("t6", "dotnet test --filter Relay"), Result("t6"),
            Text(), Boundary(), Summary("Ran `dotnet test` until green, checked git status, and npm run build passes."));

        // Both dotnet test runs share the words the summary has; git diff is not named; "cd DIR &&" is passed over.
        Assert.Equal((5, 1), (flattened.Commands.Seen, flattened.Commands.Dropped));
        Assert.Equal(["git diff --stat"], Dropped(flattened.Commands));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_SegmentWithoutTools_SeesNothingAndSaysNothing()
    {
        FlattenedSpecifics flattened = Only(Text("Hello."), Text("How can I help?"), Boundary(), Summary("The user said hello."));

        Assert.Equal((0, 0), (flattened.Seen, flattened.Dropped));
        Assert.Null(flattened.Sentence(forkId: null, cwd: "/r", namesPerKind: 3));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_BoundaryWithNoSummaryLineYet_WaitsForIt()
    {
        var found = new List<FlattenedSpecifics>();
        var reader = new SegmentReader("/t.jsonl", (_, flattened) => found.Add(flattened));
        Take(reader, Read("t1", "/r/a.cs"));
        Take(reader, Result("t1"));
        Take(reader, Text());
        reader.Boundary(TranscriptBoundaryParser.TryParse(Encoding.UTF8.GetBytes(Boundary()))!, 4);

        Assert.True(reader.AwaitsSummary);
        Assert.Empty(found);

        Take(reader, Summary("Nothing about files."));
        Assert.True(reader.HasSummary);
        Take(reader, Attachment("/r/other.cs"));
        reader.Finish();

        FlattenedSpecifics flattened = Assert.Single(found);
        Assert.Equal(["/r/a.cs"], Dropped(flattened.Files));
        Assert.Equal((1L, 3L), (flattened.FromLine, flattened.ToLine));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_BoundaryWhoseSummaryLineNeverCame_SaysNothing()
    {
        Assert.Empty(SegmentReaderSampleTests.Read([Read("t1", "/r/a.cs"), Result("t1"), Text(), Boundary()]));
        Assert.Empty(SegmentReaderSampleTests.Read([Read("t1", "/r/a.cs"), Result("t1"), Text(), Boundary("b-1"), Text(), Boundary("b-2")]));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_TheAgentsWrapper_IsNotTheSummary()
    {
        // The tools-used list says "Read" and the wrapper names the transcript; neither is the model's text.
        FlattenedSpecifics flattened = Only(
            Read("t1", "/r/missing.txt"), Result("t1", error: true, "File does not exist."),
            Read("t2", "/cfg/projects/-r/s.jsonl"), Result("t2"),
            Text(), Boundary(), Summary("Nothing was found."));

        Assert.Equal(["/r/missing.txt", "/cfg/projects/-r/s.jsonl"], Dropped(flattened.Files));
        Assert.Equal(["Read"], Dropped(flattened.ToolErrors));
        Assert.Equal(FlattenedSpecifics.Marked, flattened.Summary);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_WrapperWithoutSummaryMarker_FallsBackToTheTextBetweenTheKnownSentences()
    {
        FlattenedSpecifics flattened = Only(
            Read("t1", "/r/a.cs"), Result("t1"), Read("t2", "/r/b.cs"), Result("t2"), Text(), Boundary(),
            SummaryLine("This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n"
                + "Edited a.cs.\nPlease continue the conversation from where we left it off without asking the user any further questions. b.cs"));

        Assert.Equal(FlattenedSpecifics.Unmarked, flattened.Summary);
        Assert.Equal(["/r/b.cs"], Dropped(flattened.Files));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_ReattachedFilesAndMessagesKeptVerbatim_AreStillInContext()
    {
        FlattenedSpecifics flattened = Only(
            Read("t1", "/r/a.cs"), Result("t1"),
            Read("t2", "/r/b.cs"), Result("t2"),
            Read("t3", "/r/c.cs"), Result("t3"),
            Read("t4", "/r/d.cs", uuid: "kept-1"), Result("t4"),
            Text(), Boundary("b-1", "kept-1"), Summary("Looked around."),
            Attachment("/r/a.cs"), Attachment("/r/b.cs", type: "compact_file_reference"));

        // a.cs came back whole, d.cs's message was kept verbatim; b.cs came back as its name only.
        Assert.Equal(["/r/b.cs", "/r/c.cs"], Dropped(flattened.Files));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_Urls_KeptWithoutSchemeOrTrailingSlash()
    {
        FlattenedSpecifics flattened = Only(
            Fetch("t1", "https://docs.rs/tokio/latest/"), Result("t1"),
            Fetch("t2", "https://example.com/spec"), Result("t2"),
            Text(), Boundary(), Summary("Read docs.rs/tokio/latest for the runtime."));

        Assert.Equal(["https://example.com/spec"], Dropped(flattened.Urls));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_ToolErrors_CountOnlyWhenTheModelWentOnAndAreKeptByTheirTarget()
    {
        FlattenedSpecifics flattened = Only(
            Bash("t1", "make check"), Result("t1", error: true),
            Text("It failed; trying again."),
            Bash("t2", "make check"), Result("t2", error: true),
            Text("Still failing."),
            Read("t3", "/r/gone.txt"), Result("t3", error: true),
            Text("Missing."),
            Read("t4", "/r/late.txt"), Result("t4", error: true),
            Boundary(), Summary("make check fails on the linker."));

        // The last failure had no answer before the compaction; Bash's failures are named by their command.
        Assert.Equal((2, 1), (flattened.ToolErrors.Seen, flattened.ToolErrors.Dropped));
        FlattenedItem read = Assert.Single(flattened.ToolErrors.Items);
        Assert.Equal(("Read", 1), (read.Name, read.Uses));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_FailedToolWithAnEmptyName_IsJudgedWithoutThrowing()
    {
        // A transcript any program can write: a tool named "" whose call failed, then an answer. Searching the summary
        // for an empty word used to run past its end and throw, which ended the whole scan.
        FlattenedSpecifics flattened = Only(
            ToolCall("t1", "", new JsonObject { ["file_path"] = "/r/x.txt" }), Result("t1", error: true),
            Text("Odd."), Boundary(), Summary("Nothing named."));

        FlattenedItem failed = Assert.Single(flattened.ToolErrors.Items);
        Assert.Equal("", failed.Name);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_SubagentLines_AreNotTheSessionsContext()
    {
        FlattenedSpecifics flattened = Only(
            ToolCall("t1", "Read", new JsonObject { ["file_path"] = "/r/sub.cs" }, sidechain: true), Result("t1"),
            Read("t2", "/r/main.cs"), Result("t2"), Text(), Boundary(), Summary("Nothing named."));

        Assert.Equal(["/r/main.cs"], Dropped(flattened.Files));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_TwoCompactions_EachJudgesItsOwnSegmentAndLines()
    {
        List<(TranscriptBoundary Boundary, FlattenedSpecifics Flattened)> found = SegmentReaderSampleTests.Read([
            Read("t1", "/r/a.cs"), Result("t1"), Text(), Boundary("b-1"), Summary("a.cs read."),
            Read("t2", "/r/b.cs"), Result("t2"), Text(), Boundary("b-2"), Summary("Nothing.")]);

        Assert.Equal(["b-1", "b-2"], found.Select(f => f.Boundary.Uuid));
        Assert.Equal((1, 0, 1L, 3L), (found[0].Flattened.Files.Seen, found[0].Flattened.Files.Dropped, found[0].Flattened.FromLine, found[0].Flattened.ToLine));
        Assert.Equal(["/r/b.cs"], Dropped(found[1].Flattened.Files));
        Assert.Equal((5L, 8L), (found[1].Flattened.FromLine, found[1].Flattened.ToLine));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_ManyFiles_ListsTheMostUsedFirstUpToTheCapAndCountsThemAll()
    {
        List<string> lines = [];
        for (int i = 0; i < 60; i++)
        {
            for (int use = 0; use <= i % 3; use++)
            {
                lines.Add(Read($"t{i}-{use}", $"/r/f{i:D2}.cs"));
                lines.Add(Result($"t{i}-{use}"));
            }
        }

        FlattenedSpecifics flattened = Only([.. lines, Text(), Boundary(), Summary("Nothing named.")]);

        Assert.Equal((60, 60, FlattenedKind.MaxListed), (flattened.Files.Seen, flattened.Files.Dropped, flattened.Files.Items.Count));
        Assert.Equal(["/r/f02.cs", "/r/f05.cs"], flattened.Files.Items.Take(2).Select(i => i.Name));
        Assert.Equal(3, flattened.Files.Items[0].Uses);
        Assert.False(flattened.Files.Capped);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_MoreDistinctFilesThanKept_SaysItIsCapped()
    {
        List<string> lines = [.. Enumerable.Range(0, SpecificTally.MaxDistinct + 5).Select(i => Read($"t{i}", $"/r/f{i}.cs"))];

        FlattenedSpecifics flattened = Only([.. lines, Text(), Boundary(), Summary("Nothing named.")]);

        Assert.Equal((SpecificTally.MaxDistinct, true), (flattened.Files.Seen, flattened.Files.Capped));
        await Task.CompletedTask;
    }

    // As the scan feeds a line: an answer's tool calls read by the usage parser, anything else read by the segment reader.
    private static void Take(SegmentReader reader, string text)
    {
        byte[] line = Encoding.UTF8.GetBytes(text);
        var strings = new LineStrings();
        if (TranscriptUsageParser.MayHaveUsage(line) && TranscriptUsageParser.TryParse(line, ref strings, out ModelRequest request, reader.Calls) && !request.Sidechain)
        {
            reader.Answer();
        }
        else
        {
            reader.Take(line);
        }
    }
}
