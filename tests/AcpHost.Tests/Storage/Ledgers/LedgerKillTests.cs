using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Tests.Storage.Ledgers;

/// <summary>
/// A writer process appending numbered records as fast as it can is killed with SIGKILL at random moments, again and
/// again; after every kill the ledger must read back with every record up to the last one whole, in order, and at
/// most the line that was being written lost.
/// </summary>
public sealed class LedgerKillTests : IDisposable
{
    private const int Rounds = 10;
    private const string Tag = "kill";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-ledger-kill-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task Append_WriterKilledAtRandomPoints_LedgerReadsBackContiguousLosingAtMostTheLineInFlight()
    {
        string path = new CompactionLedger(_dataDir).FilePath;
        var random = new Random();
        long last = 0;
        int tornLines = 0;
        for (int round = 1; round <= Rounds; round++)
        {
            using (Process writer = StartWriter(last + 1))
            {
                string? ready = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.True(ready == "ready", $"the writer did not start: {ready}");
                // Not a wait for anything: the kill is meant to land at a random point of the writer's appends.
                await Task.Delay(random.Next(20, 400));
                writer.Kill(); // SIGKILL on Unix: no handler, no flush, no finally
                await writer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }

            (long readable, bool torn) = CheckFile(path, tornLines);
            tornLines += torn ? 1 : 0;
            Assert.True(readable >= last, $"round {round}: records before the kill went missing ({readable} < {last})");
            last = readable;

            LedgerReadResult<CompactionRecord> read = CompactionLedger.Read(path);
            Assert.Equal(last, read.Records.Count);
            Assert.Equal(tornLines, read.SkippedLines);
        }

        Assert.True(last > Rounds, $"the writers appended only {last} records in {Rounds} rounds");
    }

    /// <summary>
    /// Reads the raw file: every complete line is a record numbered one more than the one before it, or a line torn
    /// by an earlier kill (which the next writer ended with LF); only the end of the file may be an unfinished line.
    /// Returns the last record number and whether the file ends torn. No file yet reads as no records: the first writer
    /// prints "ready" before its first append, and under load the kill can come before that append creates the file
    /// (the caller still fails the round if records written earlier went missing).
    /// </summary>
    private static (long Last, bool EndsTorn) CheckFile(string path, int earlierTornLines)
    {
        if (!File.Exists(path))
        {
            Assert.Equal(0, earlierTornLines);
            return (0, false);
        }

        byte[] bytes = File.ReadAllBytes(path);
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        long expected = 1;
        int damaged = 0;
        for (int i = 0; i < lines.Length - 1; i++)
        {
            if (TryNumber(lines[i]) is { } number)
            {
                Assert.Equal(expected, number);
                expected++;
            }
            else
            {
                damaged++;
            }
        }

        Assert.Equal(earlierTornLines, damaged);
        string tail = lines[^1];
        Assert.True(tail.Length == 0 || TryNumber(tail) is null, "a whole record was left without its LF");
        return (expected - 1, tail.Length > 0);
    }

    private static long? TryNumber(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            long number = root.GetProperty("preTokens").GetInt64();
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{Tag}-{number}"), root.GetProperty("id").GetString());
            return number;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Process StartWriter(long first)
    {
        string dll = typeof(LedgerKillTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LedgerWriterDll").Value!;
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add(Path.GetFullPath(dll));
        info.ArgumentList.Add(_dataDir);
        info.ArgumentList.Add("endless");
        info.ArgumentList.Add(Tag);
        info.ArgumentList.Add(first.ToString(CultureInfo.InvariantCulture));
        return Process.Start(info)!;
    }
}
