using System.Globalization;
using AcpHost.Events;
using AcpHost.Features.Sessions;

namespace AcpHost.Cli;

/// <summary>
/// Arranges sessions as a forest: the roots (sessions without a parent, or whose parent the ledger does not know) in
/// the ledger's order, each followed by its forks, depth first, every parent before its children. The drawn indent
/// stops growing at <see cref="MaxDrawnDepth"/>: deeper forks are drawn at that indent with their depth written out,
/// so that what is drawn grows with the ledger, not with the square of its deepest chain.
/// </summary>
internal static class SessionTree
{
    /// <summary>How many levels of forks are drawn as indent; deeper ones say their depth instead.</summary>
    public const int MaxDrawnDepth = 16;

    /// <summary>
    /// <paramref name="sessions"/> in tree order, each with the branch drawn before it (<c>├─ </c>, <c>│  └─ </c>, …;
    /// empty for a root; beyond <see cref="MaxDrawnDepth"/>, the indent of that depth and <c>⋯N </c>, N the depth).
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
        var pending = new Stack<(SessionRecord Session, string Indent, bool? Last, int Depth)>();
        pending.Push((root, "", null, 0));
        while (pending.TryPop(out (SessionRecord Session, string Indent, bool? Last, int Depth) next))
        {
            string depth = next.Depth > MaxDrawnDepth ? string.Create(CultureInfo.InvariantCulture, $"⋯{next.Depth} ") : "";
            string branch = next.Last switch
            {
                null => "",
                true => next.Indent + depth + "└─ ",
                false => next.Indent + depth + "├─ ",
            };
            arranged.Add((next.Session, branch));

            // Past the drawn depth the indent is the same string for every deeper fork: nothing grows with the depth.
            string childIndent = next.Depth >= MaxDrawnDepth ? next.Indent : next.Last switch
            {
                null => "",
                true => next.Indent + "   ",
                false => next.Indent + "│  ",
            };
            List<SessionRecord> children = forks[next.Session.SessionId].Where(child => visited.Add(child.SessionId)).ToList();
            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push((children[i], childIndent, i == children.Count - 1, next.Depth + 1));
            }
        }
    }
}
