using System.Globalization;
using AcpHost.PostMortem;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Cli;

/// <summary><c>acphost scan</c> for people: every compaction, then a line per project, then the totals.</summary>
internal static class ScanTable
{
    private const string Unknown = "–";

    public static IEnumerable<string> Lines(ScanResult scan)
    {
        if (scan.Rows.Count == 0)
        {
            yield return "No compactions found.";
        }
        else
        {
            foreach (string line in TextColumns.Lines(
                ["time (UTC)", "project", "session", "trigger", "pre-tokens", "post-tokens", "duration"],
                [false, false, false, false, true, true, true],
                scan.Rows.Select(row => new[]
                {
                    row.At is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : Unknown,
                    row.Project, row.SessionId, row.Trigger ?? Unknown, Number(row.PreTokens), Number(row.PostTokens), Duration(row.DurationMs),
                })))
            {
                yield return line;
            }
        }

        if (scan.Summary.Count == 0)
        {
            yield break;
        }

        yield return "";
        foreach (string line in TextColumns.Lines(
            ["project", "sessions", "compactions", "auto", "manual", "idle", "median pre", "max pre", "flattened"],
            [false, true, true, true, true, true, true, true, true],
            scan.Summary.Select(s => new[]
            {
                s.Project, Number(s.Sessions), Number(s.Compactions), Number(s.Auto), Number(s.Manual), Number(s.Idle),
                Number(s.MedianPreTokens), Number(s.MaxPreTokens), Number(s.TotalFlattened),
            })))
        {
            yield return line;
        }

        yield return "";
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"{scan.Rows.Count:N0} {(scan.Rows.Count == 1 ? "compaction" : "compactions")} in {scan.Summary.Sum(s => s.Sessions):N0} sessions, {TokenMath.Sum(scan.Summary.Select(s => s.TotalFlattened)):N0} tokens flattened");
    }

    private static string Number(long? value) => value is { } number ? number.ToString("N0", CultureInfo.InvariantCulture) : Unknown;

    private static string Duration(long? milliseconds) => milliseconds switch
    {
        null => Unknown,
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms"),
        { } ms => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000.0:N1} s"),
    };
}
