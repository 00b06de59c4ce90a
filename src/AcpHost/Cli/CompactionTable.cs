using System.Globalization;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost compactions</c> for people: aligned columns, then a line with the count of each kind (auto, manual, idle)
/// and the tokens flattened.
/// </summary>
internal static class CompactionTable
{
    private const string Unknown = "–";

    private static readonly string[] Headers = ["at (UTC)", "session", "trigger", "pre-tokens", "post-tokens", "duration", "window", "source"];

    // Numbers read best right-aligned, so their digits line up.
    private static readonly bool[] RightAligned = [false, false, false, true, true, true, true, false];

    /// <summary>The table's lines; <paramref name="records"/> must not be empty.</summary>
    public static IEnumerable<string> Lines(IReadOnlyList<CompactionRecord> records)
    {
        foreach (string line in TextColumns.Lines(Headers, RightAligned, records.Select(Cells)))
        {
            yield return line;
        }

        yield return Summary(records);
    }

    private static string[] Cells(CompactionRecord record) =>
    [
        record.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        record.SessionId,
        record.Trigger ?? Unknown,
        Number(record.PreTokens),
        Number(record.PostTokens),
        Duration(record.DurationMs),
        Number(record.ContextWindow),
        record.Source,
    ];

    private static string Summary(IReadOnlyList<CompactionRecord> records)
    {
        long flattened = TokenMath.Sum(records.Select(record => record.PreTokens ?? 0));
        int uncounted = records.Count(record => record.PreTokens is null);
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"{records.Count:N0} {(records.Count == 1 ? "compaction" : "compactions")} ({Kinds(records)}), {flattened:N0} tokens flattened");
        return uncounted == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text} ({uncounted:N0} without a token count)");
    }

    // Each kind apart, the known ones first and always in the same order: "2 auto, 1 idle, 1 unknown".
    private static string Kinds(IReadOnlyList<CompactionRecord> records)
    {
        string[] known = [CompactionTriggers.Auto, CompactionTriggers.Manual, CompactionTriggers.Idle];
        return string.Join(", ", records
            .GroupBy(record => record.Trigger ?? "unknown", StringComparer.Ordinal)
            .OrderBy(group => Array.IndexOf(known, group.Key) is var i and >= 0 ? i : known.Length)
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count():N0} {group.Key}")));
    }

    private static string Number(long? value) => value is { } number ? number.ToString("N0", CultureInfo.InvariantCulture) : Unknown;

    private static string Duration(long? milliseconds) => milliseconds switch
    {
        null => Unknown,
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms"),
        { } ms => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000.0:N1} s"),
    };
}
