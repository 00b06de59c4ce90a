using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Enumeration;

namespace AcpHost.Features.PostMortem;

/// <summary>
/// Scans Claude Code transcripts for compactions and context fill: every <c>*.jsonl</c> under the roots, the largest
/// files first, as many at once as there are cores. A file that cannot be read is reported, never fatal.
/// </summary>
public static class TranscriptScanner
{
    /// <summary>The reason given for a root that does not exist.</summary>
    public const string Missing = "no such file or folder";

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
                findings.Add(TranscriptFileScanner.Scan(file.Path, file.Root, bytesRead));
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
                if (seen.Add(root))
                {
                    files.Add((root, Path.GetDirectoryName(root) ?? root, new FileInfo(root).Length));
                }

                continue;
            }

            if (!Directory.Exists(root))
            {
                unreadable.Add(new UnreadableFile(root, Missing));
                continue;
            }

            try
            {
                // Lengths come with the directory entries: no second system call per file.
                var entries = new FileSystemEnumerable<(string Path, long Length)>(
                    root,
                    static (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.Length),
                    new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
                {
                    ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                        !entry.IsDirectory && entry.FileName.EndsWith(".jsonl", StringComparison.Ordinal),
                };
                foreach ((string path, long length) in entries)
                {
                    if (seen.Add(path))
                    {
                        files.Add((path, root, length));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable.Add(new UnreadableFile(root, ex.Message));
            }
        }

        return files;
    }
}
