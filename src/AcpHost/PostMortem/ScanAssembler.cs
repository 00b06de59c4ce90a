using AcpHost.Events;
using AcpHost.Storage.Transcripts;
using AcpHost.Usage;

namespace AcpHost.PostMortem;

/// <summary>
/// Turns what each file held into the scan's answer: names each project (the cwd its lines record, else its folder
/// name), counts each compaction once, in the session where it happened (a fork's copies of its parent's boundaries
/// are lineage: see <see cref="CompactionOrigins"/>), applies <c>--since</c>, <c>--project</c> and <c>--session</c>,
/// and sums up per project; the usage is summed by <see cref="UsageAssembler"/>.
/// </summary>
internal static class ScanAssembler
{
    public static ScanResult Assemble(IReadOnlyList<FileFindings> files, ScanOptions options, IReadOnlyList<UnreadableFile> unreadable, TimeSpan elapsed)
    {
        // A project folder is one working directory: a file whose lines name none takes the one its neighbours name.
        var folderCwd = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (FileFindings file in files.Where(file => file.FirstCwd is not null))
        {
            folderCwd.TryAdd(FolderOf(file), file.FirstCwd!);
        }

        var sessions = new Dictionary<string, SessionBuilder>(StringComparer.Ordinal);
        var rows = new List<CompactionRow>();
        List<(FileFindings File, string Project, string Session)> readable = [];
        foreach (FileFindings file in files.Where(file => file.Error is null))
        {
            string folder = FolderOf(file);
            readable.Add((file, file.FirstCwd ?? folderCwd.GetValueOrDefault(folder) ?? folder, file.FirstSessionId ?? Path.GetFileNameWithoutExtension(file.Path)));
        }

        var origins = new CompactionOrigins(readable);
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach ((FileFindings file, string fileProject, string fileSession) in readable)
        {
            if (file.FirstSessionId is not null || IsSessionFile(file))
            {
                Session(sessions, fileSession, fileProject);
            }

            foreach (TranscriptBoundary copy in file.Boundaries)
            {
                // Each compaction once, in the session where it happened: a fork's copy of it stands for its origin.
                (TranscriptBoundary boundary, string project, string session, string path) = origins.Resolve(copy, fileProject, fileSession, file.Path);
                if (boundary.Uuid is { } uuid && !counted.Add(uuid))
                {
                    continue;
                }

                var row = new CompactionRow(
                    boundary.Cwd ?? project,
                    boundary.SessionId ?? session,
                    boundary.Timestamp,
                    boundary.Facts.Trigger,
                    boundary.Facts.PreTokens,
                    boundary.Facts.PostTokens,
                    boundary.Facts.DurationMs,
                    boundary.Uuid,
                    path,
                    boundary.Flattened);
                if (InRange(options, row.At))
                {
                    rows.Add(row);
                    Session(sessions, row.SessionId, row.Project).Rows.Add(row);
                }
            }

            foreach (SessionUsage usage in file.Usage.Values.Where(usage => usage.AnyRequest))
            {
                Session(sessions, usage.SessionId, usage.Cwd ?? fileProject).Add(usage);
            }
        }

        List<SessionBuilder> kept = [.. sessions.Values.Where(s => Matches(options, s.Project, s.SessionId) && (options.Since is null || s.Active))];
        List<CompactionRow> shown = [.. rows.Where(row => Matches(options, row.Project, row.SessionId))
            .OrderBy(row => row.At is null)
            .ThenBy(row => row.At)
            .ThenBy(row => row.Project, StringComparer.Ordinal)
            .ThenBy(row => row.SessionId, StringComparer.Ordinal)];
        return new ScanResult
        {
            Rows = shown,
            Summary = Summarize(kept, shown),
            Sessions = [.. kept.Where(s => s.Usage?.Series.Count > 0 || s.Rows.Count > 0 || s.Usage?.ForkedFrom is not null).Select(s => s.Build()).OrderBy(s => s.SessionId, StringComparer.Ordinal)],
            Usage = UsageAssembler.Assemble(kept, [.. options.Ledgers?.NotInTranscripts(rows).Where(record => InRange(options, record.At)) ?? []]),
            Files = files.Count(file => file.Error is null),
            Bytes = TokenMath.Sum(files.Select(file => file.Bytes)),
            MalformedLines = files.Sum(file => file.MalformedLines),
            Unreadable = unreadable,
            Elapsed = elapsed,
        };
    }

    private static List<ProjectSummary> Summarize(List<SessionBuilder> sessions, List<CompactionRow> rows)
    {
        Dictionary<string, int> sessionCounts = sessions.CountBy(s => s.Project, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        ILookup<string, CompactionRow> byProject = rows.ToLookup(row => row.Project, StringComparer.Ordinal);
        return [.. sessionCounts.Keys.Union(byProject.Select(group => group.Key), StringComparer.Ordinal)
            .Select(project =>
            {
                List<long> pre = [.. byProject[project].Where(row => row.PreTokens is not null).Select(row => row.PreTokens!.Value).Order()];
                return new ProjectSummary(
                    project,
                    sessionCounts.GetValueOrDefault(project),
                    byProject[project].Count(),
                    byProject[project].Count(row => row.Trigger == CompactionTriggers.Auto),
                    byProject[project].Count(row => row.Trigger == CompactionTriggers.Manual),
                    byProject[project].Count(row => row.Trigger == CompactionTriggers.Idle),
                    Median(pre),
                    pre.Count == 0 ? null : pre[^1],
                    TokenMath.Sum(pre));
            })
            .OrderByDescending(summary => summary.TotalFlattened)
            .ThenByDescending(summary => summary.Sessions)
            .ThenBy(summary => summary.Project, StringComparer.Ordinal)];
    }

    private static long? Median(List<long> sorted) => sorted.Count switch
    {
        0 => null,
        var n when n % 2 == 1 => sorted[n / 2],
        var n => TokenMath.Midpoint(sorted[(n / 2) - 1], sorted[n / 2]),
    };

    private static SessionBuilder Session(Dictionary<string, SessionBuilder> sessions, string id, string project)
    {
        if (!sessions.TryGetValue(id, out SessionBuilder? session))
        {
            session = new SessionBuilder(id, project);
            sessions.Add(id, session);
        }

        return session;
    }

    private static bool InRange(ScanOptions options, DateTimeOffset? at) => options.Since is not { } since || at >= since;

    private static bool Matches(ScanOptions options, string project, string sessionId) =>
        (string.IsNullOrEmpty(options.Project) || project.Contains(options.Project, StringComparison.OrdinalIgnoreCase))
        && (options.SessionId is null || string.Equals(sessionId, options.SessionId, StringComparison.Ordinal));

    // The folder right under the root (a project folder of ~/.claude/projects), or the root's own name when the root
    // is a project folder itself.
    private static string FolderOf(FileFindings file)
    {
        string relative = Path.GetRelativePath(file.Root, file.Path);
        int slash = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return slash > 0 ? relative[..slash] : Path.GetFileName(Path.TrimEndingDirectorySeparator(file.Root));
    }

    // <project>/<session>.jsonl, or a transcript given by itself; subagent files deeper down are not sessions of their own.
    private static bool IsSessionFile(FileFindings file) =>
        Path.GetRelativePath(file.Root, file.Path).Count(c => c == Path.DirectorySeparatorChar) <= 1;
}
