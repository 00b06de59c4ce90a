using System.Text.RegularExpressions;

namespace AcpHost.Tests.Support;

/// <summary>
/// The room plan as ARCHITECTURE.md writes it: the table under its "Rooms" heading, one row per room (or per set of
/// sibling rooms), top to bottom, each with the rooms its files may name. The page is the one copy of the rules, so
/// the page and the test cannot drift apart; a row reads
/// <c>| `Features.Fork` `Features.Sessions` | what they hold | `Acp` `State` |</c>, its last cell either rooms in
/// backticks, "everything below" (every room of the rows after it) or "—" (none).
/// </summary>
internal sealed partial class RoomPlan
{
    private const string Heading = "## Rooms";
    private const string EverythingBelow = "everything below";

    private readonly List<(IReadOnlyList<string> Rooms, IReadOnlySet<string> MayName)> _rows;

    private RoomPlan(List<(IReadOnlyList<string> Rooms, IReadOnlySet<string> MayName)> rows) => _rows = rows;

    /// <summary>Every room with a row, top to bottom.</summary>
    public IEnumerable<string> Rooms => _rows.SelectMany(r => r.Rooms);

    /// <summary>Reads the table of <paramref name="markdown"/>; throws <see cref="FormatException"/> naming a row it cannot read.</summary>
    public static RoomPlan Read(string markdown)
    {
        // A heading starts a line: the page's first line counts as one too.
        markdown = "\n" + markdown;
        int start = markdown.IndexOf("\n" + Heading, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new FormatException($"no \"{Heading}\" heading");
        }

        int end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? markdown[start..] : markdown[start..end];
        var cells = section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Trim().Trim('|').Split('|'))
            .ToList();

        var rows = new List<(IReadOnlyList<string>, IReadOnlySet<string>)>();
        for (int i = cells.Count - 1; i >= 0; i--)
        {
            // Read bottom up, so that "everything below" can be the rooms already read.
            string[] row = cells[i];
            IReadOnlyList<string> rooms = Names(row[0]);
            string last = row[^1].Trim();
            IEnumerable<string> mayName = last == EverythingBelow ? rows.SelectMany(r => r.Item1)
                : last == "—" ? []
                : Names(last) is { Count: > 0 } names && Tick().Replace(last, "").Trim(' ', ',').Length == 0 ? names
                : throw new FormatException($"the row of {string.Join(' ', rooms)} ends in \"{last}\": rooms in backticks, \"{EverythingBelow}\" or \"—\"");
            rows.Insert(0, (rooms, mayName.ToHashSet(StringComparer.Ordinal)));
        }

        return rows.Count > 0 ? new RoomPlan(rows) : throw new FormatException($"no rows under \"{Heading}\"");
    }

    /// <summary>Whether the row of <paramref name="room"/> exists and lets it name <paramref name="named"/>.</summary>
    public bool Allows(string room, string named) => _rows.Any(r => r.Rooms.Contains(room) && r.MayName.Contains(named));

    /// <summary>Whether <paramref name="room"/> has a row.</summary>
    public bool Has(string room) => _rows.Any(r => r.Rooms.Contains(room));

    /// <summary>
    /// Every permission that does not point down the table, as "A may name B, which is not below it": a row may name
    /// only rooms of the rows after it, which keeps the plan itself free of cycles and its order the layering.
    /// </summary>
    public IEnumerable<string> UpwardPermissions() =>
        _rows.SelectMany((row, i) =>
            from room in row.Rooms
            from named in row.MayName.Order(StringComparer.Ordinal)
            where !_rows.Skip(i + 1).Any(below => below.Rooms.Contains(named))
            select $"{room} may name {named}, which is not below it");

    private static List<string> Names(string cell) => [.. Tick().Matches(cell).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Tick();
}
