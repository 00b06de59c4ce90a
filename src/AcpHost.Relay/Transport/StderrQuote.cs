namespace AcpHost.Relay.Transport;

/// <summary>
/// The agent's last stderr lines cut to a few KiB for quoting in an error or a log line: the errors of every request
/// in flight carry them, and a stderr line can be megabytes long (one 32 MiB line quoted in six errors cost 867 MiB).
/// </summary>
public static class StderrQuote
{
    /// <summary>What an error quotes at most, in characters of all lines together.</summary>
    public const int MaxChars = 4 * 1024;

    /// <summary>
    /// The last of <paramref name="lines"/> that fit in <paramref name="maxChars"/> characters, oldest first; the
    /// oldest line that does not fit whole keeps its end, after a marker.
    /// </summary>
    public static IReadOnlyList<string> Last(IReadOnlyList<string> lines, int maxChars = MaxChars)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var kept = new List<string>();
        int budget = maxChars;
        for (int i = lines.Count - 1; i >= 0 && budget > 0; i--)
        {
            string line = lines[i];
            if (line.Length <= budget)
            {
                kept.Add(line);
                budget -= line.Length;
                continue;
            }

            kept.Add("…" + line[^(budget - 1)..]);
            break;
        }

        kept.Reverse();
        return kept;
    }
}
