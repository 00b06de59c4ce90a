using System.Text;
using AcpHost.PostMortem;
using AcpHost.Tests.Support;
using static AcpHost.Tests.PostMortem.TranscriptLines;

namespace AcpHost.Tests.PostMortem;

public sealed class TranscriptScannerTests : IDisposable
{
    private const int Timeout = 30_000;

    private readonly string _root = Directory.CreateTempSubdirectory("acphost-scan-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string folder, string file, string content)
    {
        string directory = Path.Combine(_root, folder);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, file);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    // With the context series kept, as a report asks, so that the fill of each session can be checked.
    private Task<ScanResult> ScanAsync(DateTimeOffset? since = null, string? project = null, int parallelism = 2) =>
        TranscriptScanner.ScanAsync(new ScanOptions { Roots = [_root], Since = since, Project = project, Parallelism = parallelism, Series = true }, CancellationToken.None);

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_BothSpellings_ListsEveryBoundaryWithItsCounts()
    {
        Write("-work-app", "s1.jsonl", string.Join('\n',
            Assistant("s1", "/work/app", T0, 150_000),
            Boundary("s1", "/work/app", T0.AddMinutes(1), "auto", 150_110),
            OldBoundary("s1", T0.AddMinutes(2), "manual", 40_000)) + "\n");

        ScanResult scan = await ScanAsync();

        Assert.Equal(2, scan.Rows.Count);
        CompactionRow current = scan.Rows[0];
        Assert.Equal(("/work/app", "s1", "auto", 150_110L, 2516L, 1234L), (current.Project, current.SessionId, current.Trigger, current.PreTokens!.Value, current.PostTokens!.Value, current.DurationMs!.Value));
        Assert.Equal(T0.AddMinutes(1), current.At);
        CompactionRow older = scan.Rows[1];
        Assert.Equal(("/work/app", "manual", 40_000L, 3000L, 50L), (older.Project, older.Trigger, older.PreTokens!.Value, older.PostTokens!.Value, older.DurationMs!.Value));
        Assert.Equal(0, scan.MalformedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_RealAgentSamples_FindsTheCapturedCompactionsAndTheFill()
    {
        ScanResult scan = await TranscriptScanner.ScanAsync(new ScanOptions { Roots = [AgentSamples.Folder], Series = true }, CancellationToken.None);

        Assert.Equal(["manual", "auto", "manual", "auto", "manual"], scan.Rows.Select(row => row.Trigger));
        Assert.Equal([1206L, 990_010L, 1206L, 990_010L, 4520L], scan.Rows.Select(row => row.PreTokens!.Value));
        Assert.All(scan.Rows.Take(4), row => Assert.Equal("/tmp/acphost-e2e/work", row.Project));
        Assert.Equal("/tmp/cap24/work", scan.Rows[4].Project);
        SessionFill sample = Assert.Single(scan.Sessions, s => s.SessionId == "6281f1ba-3153-473a-918d-c03c2dca9187");
        Assert.Equal(1200, Assert.Single(sample.Points).Tokens);
        Assert.Equal(0, scan.MalformedLines);
        ProjectSummary summary = Assert.Single(scan.Summary, s => s.Project == "/tmp/acphost-e2e/work");
        Assert.Equal((4, 2, 2, 990_010L, 1_982_432L), (summary.Compactions, summary.Auto, summary.Manual, summary.MaxPreTokens!.Value, summary.TotalFlattened));
        Assert.Equal((1206 + 990_010) / 2, summary.MedianPreTokens);

        // The boundaries captured alone have no summary line after them: nothing is said of what they flattened.
        Assert.All(scan.Rows.Take(4), row => Assert.Null(row.Flattened));
        Assert.Equal(1, scan.Rows[4].Flattened!.Files.Dropped);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_TornLastLine_IsCountedAndTheRestKept()
    {
        string boundary = Boundary("s1", "/work/app", T0, "auto", 100_000);
        Write("-work-app", "s1.jsonl", boundary + "\n" + Assistant("s1", "/work/app", T0.AddMinutes(1), 5000)[..80]);

        ScanResult scan = await ScanAsync();

        Assert.Single(scan.Rows);
        Assert.Equal(1, scan.MalformedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_LastLineWithoutNewlineButWhole_IsRead()
    {
        Write("-work-app", "s1.jsonl", Assistant("s1", "/work/app", T0, 5000) + "\r\n" + Boundary("s1", "/work/app", T0.AddMinutes(1), "manual", 5110));

        ScanResult scan = await ScanAsync();

        Assert.Equal(5110, Assert.Single(scan.Rows).PreTokens);
        Assert.Equal(5110, Assert.Single(Assert.Single(scan.Sessions).Points).Tokens);
        Assert.Equal(0, scan.MalformedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_HugeLines_AreFollowedAcrossChunks()
    {
        // 5 MB lines: several read chunks each, so a line is grown into a larger buffer and boundaries sit after it.
        Write("-work-app", "s1.jsonl", string.Join('\n',
            User("s1", "/work/app", T0, 5_000_000),
            Assistant("s1", "/work/app", T0.AddMinutes(1), 70_000, text: new string('y', 5_000_000)),
            Boundary("s1", "/work/app", T0.AddMinutes(2), "auto", 70_110)) + "\n");

        ScanResult scan = await ScanAsync();

        Assert.Equal(70_110, Assert.Single(scan.Rows).PreTokens);
        Assert.Equal(70_110, Assert.Single(Assert.Single(scan.Sessions).Points).Tokens);
        Assert.Equal(0, scan.MalformedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_LineLongerThanTheLimit_IsSkippedAndCounted()
    {
        string path = Write("-work-app", "s1.jsonl", "");
        using (var stream = File.Create(path))
        {
            stream.Write(Encoding.UTF8.GetBytes("{\"type\":\"user\",\"message\":\"compact_boundary "));
            var filler = new byte[1024 * 1024];
            filler.AsSpan().Fill((byte)'z');
            for (int i = 0; i <= TranscriptFileScanner.MaxLine / filler.Length; i++)
            {
                stream.Write(filler);
            }

            stream.Write(Encoding.UTF8.GetBytes("\"}\n" + Boundary("s1", "/work/app", T0, "auto", 1000) + "\n"));
        }

        ScanResult scan = await ScanAsync();

        Assert.Equal(1000, Assert.Single(scan.Rows).PreTokens);
        Assert.Equal(1, scan.MalformedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_NonUtf8Bytes_SkipOnlyTheLinesWhoseReadFieldsTheySpoil()
    {
        string path = Write("-work-app", "s1.jsonl", "");
        await File.WriteAllBytesAsync(path, [
            0xFF, 0xFE, 0xC3, 0x28, (byte)'\n',
            .. Spoiled(Boundary("s1", "/work/app", T0, "auto", 1), "Conversation compacted"), (byte)'\n',
            .. Spoiled(Boundary("s1", "/work/SPOIL", T0, "auto", 2), "SPOIL"), (byte)'\n',
            .. Spoiled(Assistant("s1", "/work/app", T0, 3000), "Hello."), (byte)'\n',
            .. Spoiled(Assistant("sSPOIL", "/work/app", T0, 4000), "SPOIL"), (byte)'\n',
            .. Encoding.UTF8.GetBytes(Assistant("s1", "/work/app", T0.AddMinutes(1), 100, text: "caf\u00e9 \u2603") + "\n"),
            .. Encoding.UTF8.GetBytes(Boundary("s1", "/work/app", T0.AddMinutes(1), "manual", 210) + "\n"),
        ]);

        ScanResult scan = await ScanAsync();

        // Bad bytes in content the scan never reads cost nothing; in a field it reads (cwd, sessionId) they cost the line.
        Assert.Equal([1L, 210L], scan.Rows.Select(row => row.PreTokens!.Value));
        Assert.Equal([3110L, 210L], Assert.Single(scan.Sessions).Points.Select(point => point.Tokens));
        Assert.Equal(2, scan.MalformedLines);
    }

    // The line with the first occurrence of text replaced by the bytes FF FE (never valid UTF-8).
    private static byte[] Spoiled(string line, string text)
    {
        int at = line.IndexOf(text, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(line[..at]), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(line[(at + text.Length)..])];
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_EmptyAndBlankFiles_AreSessionsWithoutCompactions()
    {
        Write("-work-app", "empty.jsonl", "");
        Write("-work-app", "blank.jsonl", "\n\r\n  \n");

        ScanResult scan = await ScanAsync();

        Assert.Empty(scan.Rows);
        Assert.Equal(2, scan.Files);
        Assert.Equal(0, scan.MalformedLines);
        Assert.Equal(("-work-app", 2, 0), (Assert.Single(scan.Summary).Project, scan.Summary[0].Sessions, scan.Summary[0].Compactions));
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_UnreadableFileAndMissingRoot_AreReportedNotFatal()
    {
        Write("-work-app", "s1.jsonl", Boundary("s1", "/work/app", T0, "auto", 1000) + "\n");

        // A link to nothing: unreadable even for root, which permission bits would not stop.
        string dangling = Path.Combine(_root, "-work-app", "gone.jsonl");
        File.CreateSymbolicLink(dangling, Path.Combine(_root, "nowhere.jsonl"));
        string missing = Path.Combine(_root, "no-such-folder");

        ScanResult scan = await TranscriptScanner.ScanAsync(new ScanOptions { Roots = [_root, missing] }, CancellationToken.None);

        Assert.Single(scan.Rows);
        Assert.Contains(scan.Unreadable, file => file.Path == dangling);
        Assert.Contains(scan.Unreadable, file => file.Path == missing && file.Reason == TranscriptScanner.Missing);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_ForkCopiesOfABoundary_AreCountedOnce()
    {
        string line = Boundary("parent", "/work/app", T0, "auto", 150_000, uuid: "b-1");
        Write("-work-app", "parent.jsonl", line + "\n");
        Write("-work-app", "fork.jsonl", line + "\n" + Assistant("fork", "/work/app", T0.AddMinutes(5), 20_000) + "\n");

        ScanResult scan = await ScanAsync();

        Assert.Equal("parent", Assert.Single(scan.Rows).SessionId);
        Assert.Equal(2, Assert.Single(scan.Summary).Sessions);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_ForksCopyWithNewUuidAndForkedFrom_CountedOnceInTheParent()
    {
        // One /compact in the parent, then a fork, then a fork of the fork: each copy has a uuid of its own and names
        // the line it copied. Listed fork first, so the copies are met before the original.
        Write("-work-app", "a-fork.jsonl", string.Join('\n',
            ForkedBoundary("fork", "parent", "b-1", "/work/app", T0.AddMinutes(5), "manual", 1_010, uuid: "f-1"),
            Assistant("fork", "/work/app", T0.AddMinutes(6), 3_000)) + "\n");
        Write("-work-app", "b-grandchild.jsonl", ForkedBoundary("grandchild", "fork", "f-1", "/work/app", T0.AddMinutes(9), "manual", 1_010, uuid: "g-1") + "\n");
        Write("-work-app", "parent.jsonl", Boundary("parent", "/work/app", T0, "manual", 1_010, uuid: "b-1") + "\n");

        ScanResult scan = await ScanAsync();

        CompactionRow row = Assert.Single(scan.Rows);
        Assert.Equal(("parent", "b-1", T0), (row.SessionId, row.BoundaryUuid, row.At!.Value));
        ProjectSummary summary = Assert.Single(scan.Summary);
        Assert.Equal((1, 1_010L, 3), (summary.Compactions, summary.TotalFlattened, summary.Sessions));
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_ForkCopyWhoseParentIsGone_CountedOnceUnderTheParent()
    {
        Write("-work-app", "fork1.jsonl", ForkedBoundary("fork1", "parent", "b-1", "/work/app", T0.AddMinutes(5), "auto", 900_000) + "\n");
        Write("-work-app", "fork2.jsonl", ForkedBoundary("fork2", "parent", "b-1", "/work/app", T0.AddMinutes(7), "auto", 900_000) + "\n");

        ScanResult scan = await ScanAsync();

        CompactionRow row = Assert.Single(scan.Rows);
        Assert.Equal(("parent", "b-1"), (row.SessionId, row.BoundaryUuid));
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_LinesWithoutCwd_TakeTheProjectOfTheirFolder()
    {
        Write("-work-app", "a.jsonl", Assistant("a", "/work/app", T0, 1000) + "\n");
        Write("-work-app", "b.jsonl", OldBoundary("b", T0, "auto", 9000) + "\n");
        Write("-srv-other", "c.jsonl", OldBoundary("c", T0, "auto", 7000) + "\n");

        ScanResult scan = await ScanAsync();

        Assert.Equal(["/work/app", "-srv-other"], scan.Summary.Select(s => s.Project));
        Assert.Equal("/work/app", scan.Rows.Single(row => row.SessionId == "b").Project);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_SinceAndProject_FilterRowsFillAndSessions()
    {
        Write("-work-app", "old.jsonl", Boundary("old", "/work/app", T0, "auto", 1000) + "\n");
        Write("-work-app", "new.jsonl", Assistant("new", "/work/app", T0.AddDays(1), 500) + "\n" + Boundary("new", "/work/app", T0.AddDays(2), "manual", 2000) + "\n");
        Write("-srv-other", "x.jsonl", Boundary("x", "/srv/other", T0.AddDays(3), "auto", 3000) + "\n");

        ScanResult scan = await ScanAsync(since: T0.AddHours(12), project: "WORK/app");

        Assert.Equal(2000, Assert.Single(scan.Rows).PreTokens);
        ProjectSummary summary = Assert.Single(scan.Summary);
        Assert.Equal(("/work/app", 1, 1), (summary.Project, summary.Sessions, summary.Compactions));
        Assert.Equal("new", Assert.Single(scan.Sessions).SessionId);
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_SidechainAndSyntheticUsage_AreNotTheSessionsFill()
    {
        Write("-work-app", "s1.jsonl", string.Join('\n',
            Assistant("s1", "/work/app", T0, 40_000),
            Assistant("s1", "/work/app", T0.AddMinutes(1), 900_000, sidechain: true),
            Assistant("s1", "/work/app", T0.AddMinutes(2), 0).Replace("\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":10", "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0", StringComparison.Ordinal)) + "\n");

        ScanResult scan = await ScanAsync();

        Assert.Equal([40_110L], Assert.Single(scan.Sessions).Points.Select(p => p.Tokens));
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAsync_ManyFilesInParallel_SameAsOneAtATime()
    {
        for (int i = 0; i < 40; i++)
        {
            Write($"-p{i % 4}", $"s{i}.jsonl", string.Join('\n', Enumerable.Range(0, 50).Select(j => j % 10 == 9
                ? Boundary($"s{i}", $"/p{i % 4}", T0.AddMinutes((i * 100) + j), j % 20 == 9 ? "manual" : "auto", (i * 1000) + j)
                : Assistant($"s{i}", $"/p{i % 4}", T0.AddMinutes((i * 100) + j), j * 1000))) + "\n");
        }

        ScanResult parallel = await ScanAsync(parallelism: 4);
        ScanResult serial = await ScanAsync(parallelism: 1);

        Assert.Equal(200, parallel.Rows.Count);
        Assert.Equal(serial.Rows, parallel.Rows);
        Assert.Equal(serial.Summary, parallel.Summary);
        Assert.Equal(4, parallel.Summary.Count);
        Assert.All(parallel.Summary, s => Assert.Equal((10, 50), (s.Sessions, s.Compactions)));
    }
}
