namespace AcpHost.Tests.Support;

/// <summary>
/// The rooms of the sources and which rooms each names, read from a <see cref="SourceTree"/>. A room is a folder of
/// <c>src/AcpHost</c> or <c>src/AcpHost.Relay</c>, named as its namespace without <c>AcpHost.</c> (<c>Features.Fork</c>,
/// <c>Relay.Transport</c>); the files at the root of <c>src/AcpHost</c> (<c>Program.cs</c>) are the room <c>Program</c>.
/// </summary>
internal static class RoomGraph
{
    /// <summary>The room of the file at <paramref name="path"/>; null for a file outside <c>src/</c>'s two projects.</summary>
    public static string? RoomOf(string path)
    {
        foreach ((string folder, string prefix) in new[] { ("src/AcpHost.Relay/", "Relay."), ("src/AcpHost/", "") })
        {
            if (path.StartsWith(folder, StringComparison.Ordinal))
            {
                string rest = path[folder.Length..];
                int slash = rest.LastIndexOf('/');
                return slash < 0 ? (prefix.Length == 0 ? "Program" : prefix.TrimEnd('.')) : prefix + rest[..slash].Replace('/', '.');
            }
        }

        return null;
    }

    /// <summary>The room that declares <paramref name="space"/>, an <c>AcpHost.*</c> namespace.</summary>
    public static string RoomOfNamespace(string space) =>
        space.StartsWith("AcpHost.", StringComparison.Ordinal) ? space["AcpHost.".Length..] : space;

    /// <summary>Each reference of <paramref name="files"/> as (the file, its room, the room it names), its own room left out.</summary>
    public static IEnumerable<(SourceFile File, string From, string To)> Edges(SourceTree tree, IEnumerable<SourceFile> files) =>
        from file in files
        let room = RoomOf(file.Path)
        where room is not null
        from space in tree.References(file)
        let named = RoomOfNamespace(space)
        where named != room
        select (file, room, named);

    /// <summary>
    /// The cycles among the rooms <paramref name="edges"/> join, each written "A -> B -> A": for each room in order, one
    /// cycle through it that avoids the rooms before it. Empty when the rooms form a directed acyclic graph.
    /// </summary>
    public static List<string> Cycles(IEnumerable<(string From, string To)> edges)
    {
        Dictionary<string, SortedSet<string>> next = [];
        foreach ((string from, string to) in edges)
        {
            (next.TryGetValue(from, out SortedSet<string>? targets) ? targets : next[from] = new(StringComparer.Ordinal)).Add(to);
        }

        var cycles = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (string start in next.Keys.Order(StringComparer.Ordinal))
        {
            var seen = new HashSet<string>(done, StringComparer.Ordinal);
            if (PathBack(start, start, next, seen) is { } path)
            {
                cycles.Add(string.Join(" -> ", path.Prepend(start)));
            }

            done.Add(start);
        }

        return cycles;
    }

    // The rooms after `at` on a path back to `start`, searched depth first; a room seen once is not searched again
    // (it cannot reach `start`, or the path through it was found), nor is one a cycle was already looked for from.
    private static List<string>? PathBack(string start, string at, Dictionary<string, SortedSet<string>> next, HashSet<string> seen)
    {
        foreach (string to in next.GetValueOrDefault(at) ?? [])
        {
            if (to == start)
            {
                return [to];
            }

            if (seen.Add(to) && PathBack(start, to, next, seen) is { } rest)
            {
                return [to, .. rest];
            }
        }

        return null;
    }
}
