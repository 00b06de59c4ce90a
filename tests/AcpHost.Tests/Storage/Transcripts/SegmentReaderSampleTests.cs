using System.Text;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Storage.Transcripts;

/// <summary>
/// The segment analysis on the transcript captured from the real agent (tests/TestData/agent-samples,
/// <c>transcript-tools-compact.jsonl</c>): three Reads (one of a missing file), a Bash <c>ls -la</c>, a Write, then
/// <c>/compact</c> with a summary that names only <c>src/alpha.txt</c> and <c>ls -la</c>; the agent re-attached four files.
/// </summary>
public sealed class SegmentReaderSampleTests
{
    private const int Timeout = 10_000;

    private static readonly string Sample = Path.Combine(AgentSamples.Folder, "transcript-tools-compact.jsonl");

    /// <summary>Feeds every line as the scan does (boundaries parsed, answers told apart by the usage parser).</summary>
    internal static List<(TranscriptBoundary Boundary, FlattenedSpecifics Flattened)> Read(IEnumerable<string> lines, string? path = null, bool finish = true)
    {
        var found = new List<(TranscriptBoundary, FlattenedSpecifics)>();
        var reader = new SegmentReader(path, (boundary, flattened) => found.Add((boundary, flattened)));
        long number = 0;
        var strings = new LineStrings();
        foreach (string text in lines)
        {
            number++;
            byte[] line = Encoding.UTF8.GetBytes(text);
            if (TranscriptBoundaryParser.TryParse(line) is { } boundary)
            {
                reader.Boundary(boundary, number);
                continue;
            }

            if (TranscriptUsageParser.MayHaveUsage(line) && TranscriptUsageParser.TryParse(line, ref strings, out ModelRequest request, reader.Calls) && !request.Sidechain)
            {
                reader.Answer();
            }
            else
            {
                reader.Take(line);
            }
        }

        if (finish)
        {
            reader.Finish();
        }

        return found;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_CapturedCompact_ListsWhatTheSummaryDoesNotNameAndTheAgentDidNotReattach()
    {
        (TranscriptBoundary boundary, FlattenedSpecifics flattened) = Assert.Single(Read(File.ReadLines(Sample), Sample));

        Assert.Equal("853bbe18-5707-4636-a4ae-fcba073ef1e2", boundary.Uuid);
        Assert.Equal(FlattenedSpecifics.Marked, flattened.Summary);
        Assert.Equal((1L, 55L), (flattened.FromLine, flattened.ToLine));
        Assert.Equal(Sample, flattened.Transcript);

        // Five files: alpha.txt is named and re-attached, beta, gamma and out.txt re-attached; the missing one is gone.
        Assert.Equal((5, 1), (flattened.Files.Seen, flattened.Files.Dropped));
        Assert.Equal("/tmp/cap24/work/missing.txt", Assert.Single(flattened.Files.Items).Name);

        // "Ran ls -la." names the command by its first two words.
        Assert.Equal((1, 0), (flattened.Commands.Seen, flattened.Commands.Dropped));

        // The failed Read, which the model went on from: the summary neither says "Read" nor names missing.txt.
        Assert.Equal((1, 1), (flattened.ToolErrors.Seen, flattened.ToolErrors.Dropped));
        FlattenedItem failed = Assert.Single(flattened.ToolErrors.Items);
        Assert.Equal(("Read", 1), (failed.Name, failed.Uses));
        Assert.Equal((0, 0), (flattened.Urls.Seen, flattened.Urls.Dropped));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_CapturedCompactWithoutTheReattachedFiles_ListsThemAsDropped()
    {
        // The same transcript as an agent that re-attaches nothing would write it.
        IEnumerable<string> lines = File.ReadLines(Sample).Select(l => l.Contains("\"type\":\"file\"", StringComparison.Ordinal) ? "{}" : l);

        FlattenedSpecifics flattened = Assert.Single(Read(lines)).Flattened;

        Assert.Equal(["/tmp/cap24/work/src/beta.txt", "/tmp/cap24/work/gamma.md", "/tmp/cap24/work/missing.txt", "/tmp/cap24/work/out.txt"], flattened.Files.Items.Select(i => i.Name));
        await Task.CompletedTask;
    }
}
