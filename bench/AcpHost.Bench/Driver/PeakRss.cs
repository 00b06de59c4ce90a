namespace AcpHost.Bench.Driver;

/// <summary>Reads a process's peak or current resident set size from <c>/proc/PID/status</c> (Linux only).</summary>
internal static class PeakRss
{
    /// <summary>VmHWM (the peak) in KiB, or null where /proc is unavailable or the process is gone.</summary>
    public static long? ReadKiB(int processId) => Read(processId, "VmHWM:");

    /// <summary>VmRSS (resident now) in KiB, or null where /proc is unavailable or the process is gone.</summary>
    public static long? ReadCurrentKiB(int processId) => Read(processId, "VmRSS:");

    private static long? Read(int processId, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{processId}/status"))
            {
                // "VmHWM:\t   23456 kB"
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    string value = line[field.Length..].Trim();
                    int space = value.IndexOf(' ', StringComparison.Ordinal);
                    return long.Parse(space < 0 ? value : value[..space], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
