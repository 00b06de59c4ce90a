namespace AcpHost.Tests.Support;

/// <summary>
/// The CPU time the calling thread has used, from <c>/proc/thread-self/stat</c> (Linux; 10 ms resolution). A test
/// that bounds how long some work takes measures this rather than the wall clock: on a machine busy with other work
/// the wall clock measures the machine, not the code.
/// </summary>
internal static class ThreadCpuTime
{
    // USER_HZ: the unit of utime and stime in /proc, 100 on every Linux there is.
    private const double TicksPerSecond = 100;

    public static TimeSpan Now()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");

        // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long user = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture);
        long system = long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((user + system) / TicksPerSecond);
    }
}
