using System.Globalization;
using AcpHost.Events;
using AcpHost.Features.Sessions;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost sessions</c> for people: the session tree in aligned columns (the branches drawn in the first), then a
/// line with the counts. The working directory comes last, as the one column of any length.
/// </summary>
internal static class SessionTable
{
    private const string Unknown = "–";

    private static readonly string[] Headers = ["session", "fork", "created (UTC)", "compactions", "last fill", "cwd"];

    // Numbers read best right-aligned, so their digits line up.
    private static readonly bool[] RightAligned = [false, false, false, true, true, false];

    /// <summary>
    /// The table's lines for <paramref name="tree"/>, from <see cref="SessionTree.Arrange"/>, whose records carry the
    /// compaction counts to show; it must not be empty.
    /// </summary>
    public static IEnumerable<string> Lines(IReadOnlyList<(SessionRecord Session, string Branch)> tree)
    {
        var known = tree.Select(node => node.Session.SessionId).ToHashSet(StringComparer.Ordinal);
        foreach (string line in TextColumns.Lines(Headers, RightAligned, tree.Select(node => Cells(node.Session, node.Branch, known))))
        {
            yield return line;
        }

        yield return Summary(tree.Select(node => node.Session).ToList());
    }

    /// <summary>The context fill as <c>used/size (NN%)</c>, or <c>–</c> when no <c>usage_update</c> was recorded.</summary>
    private static string Fill(long? used, long? size) => (used, size) switch
    {
        ({ } u, { } s) when s > 0 => string.Create(CultureInfo.InvariantCulture, $"{u:N0}/{s:N0} ({Math.Round(100.0 * u / s, MidpointRounding.AwayFromZero):0}%)"),
        ({ } u, _) => string.Create(CultureInfo.InvariantCulture, $"{u:N0}/{Unknown}"),
        _ => Unknown,
    };

    private static string[] Cells(SessionRecord session, string branch, HashSet<string> known) =>
    [
        branch + session.SessionId,
        Fork(session, known),
        session.CreatedAt is { } created ? created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : Unknown,
        session.Compactions.ToString("N0", CultureInfo.InvariantCulture),
        Fill(session.UsedTokens, session.ContextWindow),
        session.Cwd ?? Unknown,
    ];

    // A fork drawn under its parent needs only its reason; a fork whose parent the ledger never saw also names it.
    private static string Fork(SessionRecord session, HashSet<string> known) => session.ParentSessionId switch
    {
        null => "",
        { } parent when known.Contains(parent) && parent != session.SessionId => session.ForkReason ?? Unknown,
        { } parent => $"{session.ForkReason ?? Unknown}, from {parent}",
    };

    private static string Summary(List<SessionRecord> sessions)
    {
        int forks = sessions.Count(session => session.ParentSessionId is not null);
        int compactions = sessions.Sum(session => session.Compactions);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Plural(sessions.Count, "session")} ({Plural(forks, "fork")}), {Plural(compactions, "compaction")}");
    }

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");
}
