using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using static AcpHost.Tests.Storage.Transcripts.SegmentLines;

namespace AcpHost.Tests.Storage.Transcripts;

/// <summary>The segment reader reads a transcript line as deep as the relay reads one (<c>JsonDepth.Reader</c>), not 64.</summary>
public sealed class SegmentReaderDepthTests
{
    private const int Timeout = 10_000;

    [Fact(Timeout = Timeout)]
    public async Task Read_SummaryAndResultLinesNestedDeeperThan64_StillRead()
    {
        string deep = new string('[', 100) + new string(']', 100);
        string failed = Result("t2", error: true).Replace("{\"parentUuid\"", $"{{\"extra\":{deep},\"parentUuid\"", StringComparison.Ordinal);
        string summary = Summary("Looked at nothing in particular.").Replace("{\"parentUuid\"", $"{{\"extra\":{deep},\"parentUuid\"", StringComparison.Ordinal);
        Assert.Contains(deep, summary, StringComparison.Ordinal);
        Assert.Contains(deep, failed, StringComparison.Ordinal);

        (_, FlattenedSpecifics flattened) = Assert.Single(SegmentReaderSampleTests.Read(
            [Read("t1", "/r/a.cs"), Result("t1"), Read("t2", "/r/missing.cs"), failed, Text(), Boundary(), summary]));

        Assert.Equal(["/r/a.cs", "/r/missing.cs"], flattened.Files.Items.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["Read"], flattened.ToolErrors.Items.Select(i => i.Name));
        await Task.CompletedTask;
    }
}
