using AcpHost.Features.Sessions;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Cli;

/// <summary>
/// Arranges sessions as a forest: the roots (sessions without a parent, or whose parent the ledger does not know) in
/// the ledger's order, each followed by its forks, depth first, every parent before its children.
/// </summary>
internal static class SessionTree
{
    /// <summary>
    /// <paramref name="sessions"/> in tree order, each with the branch drawn before it (<c>├─ </c>, <c>│  └─ </c>, …;
    /// empty for a root).
    /// </summary>
    /// <param name="sessions">Sessions with distinct ids, in the order siblings are to be listed.</param>
    public static List<(SessionRecord Session, string Branch)> Arrange(IReadOnlyList<SessionRecord> sessions)
    {
        var known = sessions.Select(session => session.SessionId).ToHashSet(StringComparer.Ordinal);
        ILookup<string, SessionRecord> forks = sessions
            .Where(session => IsChild(session, known))
            .ToLookup(session => session.ParentSessionId!, StringComparer.Ordinal);

        var arranged = new List<(SessionRecord, string)>(sessions.Count);
        var visited = new HashSet<string>(StringComparer.Ordinal);

        // Parents that form a loop (only a damaged ledger could say so) leave no root to start from: whatever the roots
        // did not reach is listed as a root of its own, so every session is shown exactly once.
        foreach (SessionRecord root in sessions.Where(session => !IsChild(session, known)).Concat(sessions))
        {
            if (visited.Add(root.SessionId))
            {
                AddSubtree(root, forks, visited, arranged);
            }
        }

        return arranged;
    }

    private static bool IsChild(SessionRecord session, HashSet<string> known) =>
        session.ParentSessionId is { } parent && parent != session.SessionId && known.Contains(parent);

    // Depth first without recursion, so that a long chain of forks cannot exhaust the stack.
    private static void AddSubtree(SessionRecord root, ILookup<string, SessionRecord> forks, HashSet<string> visited, List<(SessionRecord, string)> arranged)
    {
        var pending = new Stack<(SessionRecord Session, string Indent, bool? Last)>();
        pending.Push((root, "", null));
        while (pending.TryPop(out (SessionRecord Session, string Indent, bool? Last) next))
        {
            string branch = next.Last switch
            {
                null => "",
                true => next.Indent + "└─ ",
                false => next.Indent + "├─ ",
            };
            arranged.Add((next.Session, branch));

            string childIndent = next.Last switch
            {
                null => "",
                true => next.Indent + "   ",
                false => next.Indent + "│  ",
            };
            List<SessionRecord> children = forks[next.Session.SessionId].Where(child => visited.Add(child.SessionId)).ToList();
            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push((children[i], childIndent, i == children.Count - 1));
            }
        }
    }
}
