using System.Diagnostics;
using System.Reflection;
using System.Text;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Tests.Storage.Ledgers;

public sealed class CompactionLedgerTests : IDisposable
{
    private const int Timeout = 15_000;

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-ledger-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static CompactionRecord Record(string id, string sessionId = "s-1", DateTimeOffset? at = null, string source = CompactionSources.ToolCall) =>
        new() { Id = id, SessionId = sessionId, At = at ?? T0, Source = source };

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_ThenReadAll_RoundTripsEveryField()
    {
        var ledger = new CompactionLedger(_dataDir);
        CompactionRecord full = Record("cmp-1") with
        {
            Trigger = "auto",
            PreTokens = 154_321,
            PostTokens = 12_000,
            DurationMs = 34_567,
            ContextWindow = 200_000,
            At = new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.FromHours(2)),
            BoundaryUuid = "b-1",
        };
        CompactionRecord sparse = Record("cmp-2", "s-2", T0.AddMinutes(1), CompactionSources.CompactionUpdate);

        await ledger.AppendAsync(full, CancellationToken.None);
        await ledger.AppendAsync(sparse, CancellationToken.None);

        Assert.Equal(Path.Combine(_dataDir, "ledger", "compactions.jsonl"), ledger.FilePath);
        Assert.Equal([full, sparse], ledger.ReadAll());
        string[] lines = await File.ReadAllLinesAsync(ledger.FilePath);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"postTokens\":null", lines[1], StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_FirstAppend_CreatesFolderAndFileForTheOwnerOnly()
    {
        var ledger = new CompactionLedger(Path.Combine(_dataDir, "fresh"));

        await ledger.AppendAsync(Record("cmp-1"), CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(ledger.FilePath)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ledger.FilePath));
        Assert.EndsWith("}\n", await File.ReadAllTextAsync(ledger.FilePath), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadAll_SameIdAppendedTwice_FoldsIntoOneRecordKeepingFirstAtAndSource()
    {
        var ledger = new CompactionLedger(_dataDir);
        await ledger.AppendAsync(Record("cmp-1") with { Trigger = "auto", PreTokens = 150_000, ContextWindow = 200_000 }, CancellationToken.None);
        await ledger.AppendAsync(Record("cmp-other", at: T0.AddSeconds(1)), CancellationToken.None);
        await ledger.AppendAsync(
            Record("cmp-1", at: T0.AddMinutes(5), source: CompactionSources.Transcript) with { PostTokens = 9_000, DurationMs = 41_000, BoundaryUuid = "b-1" },
            CancellationToken.None);

        IReadOnlyList<CompactionRecord> records = ledger.ReadAll();

        Assert.Equal(2, records.Count);
        CompactionRecord folded = records[0];
        Assert.Equal("cmp-1", folded.Id);
        Assert.Equal(T0, folded.At);
        Assert.Equal(CompactionSources.ToolCall, folded.Source);
        Assert.Equal("auto", folded.Trigger);
        Assert.Equal(150_000, folded.PreTokens);
        Assert.Equal(9_000, folded.PostTokens);
        Assert.Equal(41_000, folded.DurationMs);
        Assert.Equal(200_000, folded.ContextWindow);
        Assert.Equal("b-1", folded.BoundaryUuid);
        Assert.Equal("cmp-other", records[1].Id);
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_MissingFile_IsEmpty()
    {
        var ledger = new CompactionLedger(Path.Combine(_dataDir, "nothing-here"));

        Assert.Empty(ledger.ReadAll());
        Assert.Equal(LedgerReadResult<CompactionRecord>.Empty, CompactionLedger.Read(ledger.FilePath));
        Assert.False(Directory.Exists(Path.GetDirectoryName(ledger.FilePath)));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_UnorderedLines_AreOrderedByAtThenId()
    {
        var ledger = new CompactionLedger(_dataDir);
        await ledger.AppendAsync(Record("cmp-c", at: T0.AddHours(1)), CancellationToken.None);
        await ledger.AppendAsync(Record("cmp-b"), CancellationToken.None);
        await ledger.AppendAsync(Record("cmp-a", at: T0.AddHours(1)), CancellationToken.None);

        Assert.Equal(["cmp-b", "cmp-a", "cmp-c"], ledger.ReadAll().Select(record => record.Id));
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_AfterTornLastLine_SkipsTheFragmentAndStartsTheRecordOnItsOwnLine()
    {
        var ledger = new CompactionLedger(_dataDir);
        await ledger.AppendAsync(Record("cmp-1"), CancellationToken.None);
        await File.AppendAllTextAsync(ledger.FilePath, """{"id":"cmp-torn","sessionId":"s-1","trig""");

        LedgerReadResult<CompactionRecord> torn = CompactionLedger.Read(ledger.FilePath);
        Assert.Equal(["cmp-1"], torn.Records.Select(record => record.Id));
        Assert.Equal(1, torn.SkippedLines);

        await ledger.AppendAsync(Record("cmp-2", at: T0.AddMinutes(1)), CancellationToken.None);

        LedgerReadResult<CompactionRecord> after = CompactionLedger.Read(ledger.FilePath);
        Assert.Equal(["cmp-1", "cmp-2"], after.Records.Select(record => record.Id));
        Assert.Equal(1, after.SkippedLines);
        string[] lines = await File.ReadAllLinesAsync(ledger.FilePath);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("""{"id":"cmp-2",""", lines[2], StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_DamagedLines_AreSkippedAndCountedButBlankLinesAreNot()
    {
        string path = Path.Combine(_dataDir, "compactions.jsonl");
        string good = """{"id":"cmp-1","sessionId":"s-1","at":"2026-03-01T09:00:00+00:00","source":"tool_call"}""";
        string[] lines =
        [
            "not json",
            """{"id":"cmp-2","sessionId":"s-1","source":"tool_call"}""", // no at: a required member
            """{"id":null,"sessionId":"s-1","at":"2026-03-01T09:00:00+00:00","source":"tool_call"}""",
            """{"id":"","sessionId":"s-1","at":"2026-03-01T09:00:00+00:00","source":"tool_call"}""",
            "null",
            "[]",
            "",
            "   ",
            good + "\r", // CRLF endings are read too
            new string('x', LedgerLineReader.MaxLineBytes + 10),
            good.Replace("cmp-1", "cmp-3", StringComparison.Ordinal),
        ];
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n");

        LedgerReadResult<CompactionRecord> result = CompactionLedger.Read(path);

        Assert.Equal(["cmp-1", "cmp-3"], result.Records.Select(record => record.Id));
        Assert.Equal(7, result.SkippedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_WhileTheFileIsHeldOpenForWriting_StillReads()
    {
        var ledger = new CompactionLedger(_dataDir);
        await ledger.AppendAsync(Record("cmp-1"), CancellationToken.None);
        await using var writer = new FileStream(ledger.FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);

        Assert.Single(ledger.ReadAll());
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_ManyTasksAndTwoInstancesAtOnce_EveryRecordIsIntact()
    {
        CompactionLedger[] ledgers = [new CompactionLedger(_dataDir), new CompactionLedger(_dataDir)];

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            ledgers[i % 2].AppendAsync(Record($"cmp-{i:D3}", $"s-{i % 7}") with { PreTokens = i }, CancellationToken.None))));

        LedgerReadResult<CompactionRecord> result = CompactionLedger.Read(ledgers[0].FilePath);
        Assert.Equal(0, result.SkippedLines);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"cmp-{i:D3}"), result.Records.Select(record => record.Id));
        Assert.All(result.Records, record => Assert.Equal($"cmp-{record.PreTokens:D3}", record.Id));
        Assert.Equal(200, (await File.ReadAllLinesAsync(ledgers[0].FilePath)).Length);
    }

    [Fact(Timeout = 120_000)]
    public async Task AppendAsync_TwoProcessesAtOnce_EveryRecordIsIntact()
    {
        const int PerProcess = 500;
        string go = Path.Combine(_dataDir, "go");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        using Process first = StartWriter("alpha", PerProcess, go);
        using Process second = StartWriter("beta", PerProcess, go);
        try
        {
            // Both are started and waiting before either writes, so their appends really overlap.
            Assert.Equal("ready", await first.StandardOutput.ReadLineAsync(timeout.Token));
            Assert.Equal("ready", await second.StandardOutput.ReadLineAsync(timeout.Token));
            await File.WriteAllTextAsync(go, "", timeout.Token);

            (long Start, long End) a = await FinishAsync(first, timeout.Token);
            (long Start, long End) b = await FinishAsync(second, timeout.Token);
            Assert.True(a.Start < b.End && b.Start < a.End, "the two writers did not run at the same time");
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            second.Kill(entireProcessTree: true);
        }

        LedgerReadResult<CompactionRecord> result = CompactionLedger.Read(new CompactionLedger(_dataDir).FilePath);
        Assert.Equal(0, result.SkippedLines);
        Assert.Equal(2 * PerProcess, result.Records.Count);
        foreach (string tag in new[] { "alpha", "beta" })
        {
            List<CompactionRecord> mine = result.Records.Where(record => record.SessionId == tag).ToList();
            Assert.Equal(
                Enumerable.Range(0, PerProcess).Select(i => $"{tag}-{i}").Order(StringComparer.Ordinal),
                mine.Select(record => record.Id).Order(StringComparer.Ordinal));
            Assert.All(mine, record => Assert.Equal($"{tag}-{record.PreTokens - 100_000}", record.Id));
        }
    }

    private static Process StartWriter(string tag, int count, string goFile)
    {
        string dll = typeof(CompactionLedgerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LedgerWriterDll").Value!;
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add(Path.GetFullPath(dll));
        info.ArgumentList.Add(Path.GetDirectoryName(goFile)!);
        info.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(tag);
        info.ArgumentList.Add(goFile);
        return Process.Start(info)!;
    }

    private static async Task<(long Start, long End)> FinishAsync(Process writer, CancellationToken cancellationToken)
    {
        Task<string> stderr = writer.StandardError.ReadToEndAsync(cancellationToken);
        string? done = await writer.StandardOutput.ReadLineAsync(cancellationToken);
        await writer.WaitForExitAsync(cancellationToken);
        Assert.True(writer.ExitCode == 0 && done is not null, $"writer exited {writer.ExitCode}: {await stderr}");
        string[] parts = done!.Split(' ');
        Assert.Equal("done", parts[0]);
        return (long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }
}
