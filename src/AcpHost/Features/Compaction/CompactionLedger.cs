using System.Collections.Concurrent;
using System.Text.Json;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The durable record of every compaction: <c>&lt;data-dir&gt;/ledger/compactions.jsonl</c>, one
/// <see cref="CompactionRecord"/> per line (NDJSON, UTF-8, LF), only ever appended to. A compaction learned of again
/// with more facts is appended again under the same <see cref="CompactionRecord.Id"/>; reading folds those lines into
/// one record. Several host processes may share a data directory and append at once; readers never block writers.
/// </summary>
public sealed class CompactionLedger
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Long enough for another host's write and fsync on a slow disk; short enough that a stuck lock is reported.
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    // One gate per ledger file for the whole process: threads (and ledger instances) queue here instead of
    // spinning on the file lock, which then only ever contends with other processes.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly string _lockPath;

    /// <summary>A ledger in <paramref name="dataDir"/>; nothing is created until the first append.</summary>
    public CompactionLedger(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        FilePath = Path.GetFullPath(Path.Combine(dataDir, "ledger", "compactions.jsonl"));
        _lockPath = FilePath + ".lock";
    }

    /// <summary>The ledger file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Appends <paramref name="record"/> as one line. The task completes once the line is on disk (fsync), so a
    /// record whose append completed survives a crash of the host or the machine.
    /// </summary>
    /// <exception cref="IOException">The file could not be written, or another process held the lock too long.</exception>
    public async Task AppendAsync(CompactionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, LedgerJsonContext.Default.CompactionRecord);
        SemaphoreSlim gate = Gates.GetOrAdd(FilePath, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CreateFolder();
            using FileStream held = await LedgerLock.AcquireAsync(_lockPath, LockTimeout, cancellationToken).ConfigureAwait(false);

            // The write and fsync block; the caller may be a relay loop, which must not stall on the disk. Once the
            // lock is held the write is not cancelled: a record half-written on purpose would only be a torn line.
            await Task.Run(() => WriteLine(json), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Every compaction in this ledger; see <see cref="Read(string)"/>.</summary>
    public IReadOnlyList<CompactionRecord> ReadAll() => Read(FilePath).Records;

    /// <summary>
    /// Reads the ledger at <paramref name="path"/>, streaming, while other processes may be appending to it. Lines
    /// about the same id are folded with <see cref="CompactionRecord.Enrich"/> in file order; unreadable lines are
    /// skipped and counted. A missing file reads as empty.
    /// </summary>
    public static LedgerReadResult Read(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.SequentialScan,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return LedgerReadResult.Empty;
        }

        using (file)
        {
            return Fold(file);
        }
    }

    private static LedgerReadResult Fold(Stream stream)
    {
        var byId = new Dictionary<string, CompactionRecord>(StringComparer.Ordinal);
        var reader = new LedgerLineReader(stream);
        int skipped = 0;
        foreach (ReadOnlyMemory<byte> line in reader.ReadLines())
        {
            if (line.Span.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            CompactionRecord? record = Parse(line.Span);
            if (record is null)
            {
                skipped++;
            }
            else
            {
                byId[record.Id] = byId.TryGetValue(record.Id, out CompactionRecord? earlier) ? earlier.Enrich(record) : record;
            }
        }

        List<CompactionRecord> records = [.. byId.Values];
        records.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id));
        return new LedgerReadResult(records, skipped + reader.OversizedLines);
    }

    private static CompactionRecord? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            CompactionRecord? record = JsonSerializer.Deserialize(line, LedgerJsonContext.Default.CompactionRecord);
            return record is { Id.Length: > 0, SessionId.Length: > 0 } ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void CreateFolder()
    {
        string folder = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            // The ledger names every session the user ran: keep it to its owner. Only applies when created here.
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
    }

    // Called with the lock held, so the end of the file cannot move under it.
    private void WriteLine(byte[] json)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using var file = new FileStream(FilePath, options);
        long length = file.Length;
        bool torn = false;
        if (length > 0)
        {
            // A host killed mid-write leaves a line without its LF: end it, so this record starts on its own line
            // and only the torn fragment is lost.
            file.Position = length - 1;
            torn = file.ReadByte() != '\n';
        }

        byte[] line = new byte[(torn ? 1 : 0) + json.Length + 1];
        if (torn)
        {
            line[0] = (byte)'\n';
        }

        json.CopyTo(line, torn ? 1 : 0);
        line[^1] = (byte)'\n';

        // The whole line in one write call: a crash tears at most this line, and a reader (readers take no lock)
        // that catches the write half-way sees a partial last line, skips it, and sees it whole next time.
        file.Position = length;
        file.Write(line);
        file.Flush(flushToDisk: true);
    }
}
