namespace AcpHost.Cli;

/// <summary>Aligned columns for people: numbers right-aligned so their digits line up, trailing blanks trimmed.</summary>
internal static class TextColumns
{
    public static IEnumerable<string> Lines(string[] headers, bool[] rightAligned, IEnumerable<string[]> rows)
    {
        // Escaped before measuring: a cell holding a newline or ESC would otherwise break the table and the terminal.
        List<string[]> all = [headers, .. rows.Select(row => row.Select(TerminalText.Escape).ToArray())];
        int[] widths = new int[headers.Length];
        foreach (string[] row in all)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        return all.Select(row => string.Join("  ", row.Select((cell, i) => rightAligned[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
    }
}
