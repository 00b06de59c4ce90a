using System.Diagnostics;
using System.IO.Enumeration;

namespace AcpHost.PostMortem;

/// <summary>
/// Scans Claude Code transcripts for compactions and context fill: every <c>*.jsonl</c> under the roots, the largest
/// files first, as many at once as there are cores. A file that cannot be read is reported, never fatal.
/// Only regular files are read (a FIFO or <c>/dev/zero</c> named <c>.jsonl</c> would block or never end), and symlinked
/// folders are not descended into, so a symlink loop cannot make the walk endless; a symlinked file is read once.
/// </summary>
internal static class TranscriptScanner
{
    /// <summary>The reason given for a root that does not exist.</summary>
    public const string Missing = "no such file or folder";

    /// <summary>The reason given for a FIFO, device or socket: reading one could block for ever or never end.</summary>
    public const string NotRegular = "not a regular file (skipped)";

    /// <summary>Scans, then assembles the rows, summaries and fill series (see <see cref="ScanAssembler"/>).</summary>
    public static async Task<ScanResult> ScanAsync(ScanOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stopwatch = Stopwatch.StartNew();
        var unreadable = new List<UnreadableFile>();
        List<(string Path, string Root, long Length)> files = Enumerate(options.Roots, unreadable);

        // Largest first: a big file started last would leave the other cores idle at the end.
        files.Sort((a, b) => b.Length.CompareTo(a.Length));
        Action<long>? bytesRead = options.Progress?.Invoke(files.Sum(file => file.Length));
        var findings = new ConcurrentBag<FileFindings>();
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken },
            (file, _) =>
            {
                findings.Add(TranscriptFileScanner.Scan(file.Path, file.Root, options, bytesRead));
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);

        List<FileFindings> ordered = [.. findings.OrderBy(f => f.Path, StringComparer.Ordinal)];
        unreadable.AddRange(ordered.Where(f => f.Error is not null).Select(f => new UnreadableFile(f.Path, f.Error!)));
        return ScanAssembler.Assemble(ordered, options, unreadable, stopwatch.Elapsed);
    }

    private static List<(string Path, string Root, long Length)> Enumerate(IReadOnlyList<string> roots, List<UnreadableFile> unreadable)
    {
        var files = new List<(string, string, long)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string given in roots)
        {
            string root = Path.GetFullPath(given);
            if (File.Exists(root))
            {
                AddIfRegular(root, Path.GetDirectoryName(root) ?? root, files, seen, unreadable);
                continue;
            }

            if (!Directory.Exists(root))
            {
                unreadable.Add(new UnreadableFile(root, Missing));
                continue;
            }

            try
            {
                var entries = new FileSystemEnumerable<string>(
                    root,
                    static (ref FileSystemEntry entry) => entry.ToFullPath(),
                    new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
                {
                    ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                        !entry.IsDirectory && entry.FileName.EndsWith(".jsonl", StringComparison.Ordinal),
                    ShouldRecursePredicate = static (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
                };
                foreach (string path in entries)
                {
                    AddIfRegular(path, root, files, seen, unreadable);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable.Add(new UnreadableFile(root, ex.Message));
            }
        }

        return files;
    }

    /// <summary>
    /// Adds a regular file (after following a symlink), once by its real path; reports anything else. The directory
    /// entry cannot tell a FIFO or a device from a file, so each candidate costs one status call.
    /// </summary>
    private static void AddIfRegular(string path, string root, List<(string, string, long)> files, HashSet<string> seen, List<UnreadableFile> unreadable)
    {
        try
        {
            if (AcpHost.Relay.Platform.UnixFileStatus.Of(path, followSymlink: true) is { } status
                && status.Type != AcpHost.Relay.Platform.UnixFileType.Regular)
            {
                unreadable.Add(new UnreadableFile(path, NotRegular));
                return;
            }

            var file = new FileInfo(path);
            string real = file.LinkTarget is null ? path : (file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path);
            if (seen.Add(real))
            {
                files.Add((path, root, new FileInfo(real).Length));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            unreadable.Add(new UnreadableFile(path, ex.Message));
        }
    }
}
