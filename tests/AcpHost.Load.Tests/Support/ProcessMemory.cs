using System.Globalization;

namespace AcpHost.Load.Tests.Support;

/// <summary>One reading of a process's memory from <c>/proc/PID/status</c>, in KiB.</summary>
/// <param name="RssKiB">VmRSS: resident now.</param>
/// <param name="PeakRssKiB">VmHWM: the most that was ever resident.</param>
public readonly record struct ProcessMemory(long RssKiB, long PeakRssKiB)
{
    /// <summary>Reads the process's memory; null once it has exited.</summary>
    public static ProcessMemory? Read(int processId)
    {
        long rss = -1;
        long peak = -1;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = KiB(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = KiB(line);
                }
            }
        }
        catch (IOException)
        {
            return null;
        }

        return rss < 0 || peak < 0 ? null : new ProcessMemory(rss, peak);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RSS {RssKiB / 1024.0:F1} MiB, peak {PeakRssKiB / 1024.0:F1} MiB");

    // "VmRSS:\t   23456 kB"
    private static long KiB(string line)
    {
        string value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
    }
}
