using AcpHost.Storage.Transcripts;


namespace AcpHost.PostMortem;

/// <summary>
/// Finds where a compaction happened. A fork's transcript starts with a copy of its parent's history, boundaries
/// included: older agents keep the copy's uuid, newer ones give it a uuid of its own and a <c>forkedFrom</c> naming the
/// parent's line. Following <c>forkedFrom</c> (through forks of forks) leads to the line the compaction wrote; when that
/// transcript is gone, the copy stands in for it, under the parent's session and the parent line's uuid, so the
/// compaction is still counted once and still matches a host's ledger.
/// </summary>
internal sealed class CompactionOrigins
{
    // Forks of forks of forks: a chain longer than this is a loop in damaged files.
    private const int MaxDepth = 64;

    private readonly Dictionary<string, (TranscriptBoundary Boundary, string Project, string Session, string Path)> _byUuid = new(StringComparer.Ordinal);

    public CompactionOrigins(IEnumerable<(FileFindings File, string Project, string Session)> files)
    {
        foreach ((FileFindings file, string project, string session) in files)
        {
            foreach (TranscriptBoundary boundary in file.Boundaries)
            {
                if (boundary.Uuid is { } uuid)
                {
                    _byUuid.TryAdd(uuid, (boundary, project, session, file.Path));
                }
            }
        }
    }

    /// <summary>The boundary the compaction wrote (with its file's project, session and path) for a boundary line.</summary>
    public (TranscriptBoundary Boundary, string Project, string Session, string Path) Resolve(TranscriptBoundary boundary, string project, string session, string path)
    {
        var current = (boundary, project, session, path);
        for (int depth = 0; depth < MaxDepth && current.boundary.ForkedFrom is { } forkedFrom; depth++)
        {
            if (_byUuid.TryGetValue(forkedFrom.MessageUuid, out var parent))
            {
                current = parent;
                continue;
            }

            // The parent's transcript is not here: the copy carries the same facts, so it speaks for the original.
            TranscriptBoundary original = current.boundary with
            {
                Uuid = forkedFrom.MessageUuid,
                SessionId = forkedFrom.SessionId ?? current.boundary.SessionId,
                ForkedFrom = null,
            };
            return (original, current.project, forkedFrom.SessionId ?? current.session, current.path);
        }

        return current;
    }
}
