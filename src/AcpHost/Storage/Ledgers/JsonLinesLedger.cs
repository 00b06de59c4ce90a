using AcpHost.Relay.Platform;

namespace AcpHost.Storage.Ledgers;

/// <summary>
/// A durable, append-only file of records, one JSON object per line (NDJSON, UTF-8, LF). Something learned again with
/// more facts is appended again under the same id; reading folds those lines into one record (see
/// <see cref="LedgerSchema{T}"/>). Several host processes may share the file and append at once; readers take no lock
/// and never block writers. Safe to use from any thread.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class JsonLinesLedger<T>
    where T : class
{

    // Long enough for another host's write and fsync on a slow disk; short enough that a stuck lock is reported.
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly LedgerSchema<T> _schema;
    private readonly string _lockPath;

    // The file length at which this writer next folds the file (see LedgerSchema.CompactAboveBytes); touched only
    // with the lock held.
    private long _compactAt;

    /// <summary>The ledger at <paramref name="filePath"/>; nothing is created until the first append.</summary>
    /// <exception cref="ArgumentException">The schema's format indents, which would split a record over lines.</exception>
    public JsonLinesLedger(string filePath, LedgerSchema<T> schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.TypeInfo.Options.WriteIndented)
        {
            throw new ArgumentException("A ledger record must be written on one line: the JSON format must not indent.", nameof(schema));
        }

        _schema = schema;
        FilePath = Path.GetFullPath(filePath);
        _lockPath = FilePath + ".lock";
    }

    /// <summary>The ledger file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Appends <paramref name="record"/> as one line. The task completes once the line is on disk (fsync), so a
    /// record whose append completed survives a crash of the host or the machine.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="record"/> has no id, or would not read back as a record.</exception>
    /// <exception cref="IOException">The file could not be written, or another process held the lock too long.</exception>
    public Task AppendAsync(T record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AppendAsync([record], cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="records"/>, one line each, in order, under one lock with one write and one fsync: a
    /// burst of records costs the disk one flush, not one each. The task completes once every line is on disk.
    /// </summary>
    /// <exception cref="ArgumentException">A record has no id, or would not read back as a record; none is written.</exception>
    /// <exception cref="IOException">The file could not be written, or another process held the lock too long.</exception>
    public async Task AppendAsync(IReadOnlyList<T> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var lines = new List<byte[]>(records.Count);
        foreach (T record in records)
        {
            if (!_schema.Accepts(record))
            {
                throw new ArgumentException("A record lacks its id or another required fact; it would read back as a damaged line.", nameof(records));
            }

            lines.Add(JsonSerializer.SerializeToUtf8Bytes(record, _schema.TypeInfo));
        }

        CreateFolder();
        using LedgerLock held = await LedgerLock.AcquireAsync(_lockPath, LockTimeout, cancellationToken).ConfigureAwait(false);

        // The write and fsync block; the caller may be a relay loop, which must not stall on the disk. Once the lock
        // is held the write is not cancelled: a record half-written on purpose would only be a torn line.
        await Task.Run(() => CompactIfDue(WriteLines(lines)), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the ledger, streaming, while other processes may be appending to it. Lines about the same id are folded
    /// with <see cref="LedgerSchema{T}.Merge"/> in file order; unreadable lines are skipped and counted. A missing file
    /// reads as empty.
    /// </summary>
    /// <exception cref="IOException">The file exists but could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read (or is a folder).</exception>
    public LedgerReadResult<T> Read()
    {
        FileStream file;
        try
        {
            file = new FileStream(FilePath, new FileStreamOptions
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
            return LedgerReadResult<T>.Empty;
        }

        using (file)
        {
            return Fold(file);
        }
    }

    private LedgerReadResult<T> Fold(Stream stream)
    {
        var byId = new Dictionary<string, T>(StringComparer.Ordinal);
        var reader = new LedgerLineReader(stream);
        int skipped = 0;
        foreach (ReadOnlyMemory<byte> line in reader.ReadLines())
        {
            if (line.Span.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            T? record = Parse(line.Span);
            if (record is null)
            {
                skipped++;
                continue;
            }

            string id = _schema.IdOf(record);
            byId[id] = byId.TryGetValue(id, out T? earlier) ? _schema.Merge(earlier, record) : record;
        }

        List<T> records = [.. byId.Values];
        records.Sort(_schema.Order);
        return new LedgerReadResult<T>(records, skipped + reader.OversizedLines);
    }

    private T? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            T? record = JsonSerializer.Deserialize(line, _schema.TypeInfo);
            return record is not null && _schema.Accepts(record) ? record : null;
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
            // A ledger names the sessions the user ran: keep it to its owner, in a folder that is the user's own.
            OwnFiles.EnsurePrivateFolder(folder);
        }
    }

    /// <summary>
    /// Rewrites the file folded once it has grown past <see cref="LedgerSchema{T}.CompactAboveBytes"/> and twice its
    /// folded size, so a ledger that gains a line per change stays about one line per id, however long it is used.
    /// Called with the lock held: no writer appends meanwhile (writers open the file by path for each line, so they
    /// all write to the new file after the rename); a reader that opened the old file reads it to its end, whole.
    /// Unreadable lines are not carried over: they never counted.
    /// </summary>
    private void CompactIfDue(long length)
    {
        if (_schema.CompactAboveBytes is not { } floor || length < Math.Max(floor, _compactAt))
        {
            return;
        }

        IReadOnlyList<T> records = Read().Records;
        string temporary = FilePath + ".compacting";
        // A leftover from a compaction that was killed goes first (deleting a link removes the link, never its target);
        // the new file is the host's own, created 0600 without following links.
        File.Delete(temporary);
        long folded;
        using (FileStream file = OwnFiles.OpenNoFollow(temporary, FileAccess.Write))
        {
            foreach (T record in records)
            {
                file.Write(JsonSerializer.SerializeToUtf8Bytes(record, _schema.TypeInfo));
                file.WriteByte((byte)'\n');
            }

            folded = file.Length;
            if (folded * 2 > length)
            {
                // Mostly distinct ids: folding would not halve the file yet. Look again when it would.
                _compactAt = folded * 2;
                file.Close();
                File.Delete(temporary);
                return;
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
        _compactAt = Math.Max(floor, folded * 2);
    }

    // Called with the lock held, so the end of the file cannot move under it. Returns the file's new length.
    private long WriteLines(List<byte[]> lines)
    {
        // No-follow: a symlink planted at the ledger's path must not receive the user's records.
        using FileStream file = OwnFiles.OpenNoFollow(FilePath, FileAccess.ReadWrite, bufferSize: 0);
        long length = file.Length;
        bool torn = false;
        if (length > 0)
        {
            // A host killed mid-write leaves a line without its LF: end it, so these records start on a line of their
            // own and only the torn fragment is lost.
            file.Position = length - 1;
            torn = file.ReadByte() != '\n';
        }

        byte[] bytes = new byte[(torn ? 1 : 0) + lines.Sum(line => line.Length + 1)];
        int at = 0;
        if (torn)
        {
            bytes[at++] = (byte)'\n';
        }

        foreach (byte[] json in lines)
        {
            json.CopyTo(bytes, at);
            at += json.Length;
            bytes[at++] = (byte)'\n';
        }

        // All the lines in one write call: a crash tears at most the last of them, and a reader (readers take no lock)
        // that catches the write half-way sees a partial last line, skips it, and sees it whole next time.
        file.Position = length;
        file.Write(bytes);
        file.Flush(flushToDisk: true);
        return length + bytes.Length;
    }
}
