using System.Globalization;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>Reads Linux's /proc to see which processes exist and who their parents are.</summary>
public static class ProcessTable
{
    /// <summary>The pids whose parent is <paramref name="parent"/>.</summary>
    public static int[] ChildrenOf(int parent) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(folder => Path.GetFileName(folder).All(char.IsAsciiDigit))
            .Select(folder => (Pid: Path.GetFileName(folder), Stat: TryRead(Path.Combine(folder, "stat"))))
            .Where(entry => entry.Stat is not null && ParentOf(entry.Stat) == parent)
            .Select(entry => int.Parse(entry.Pid, CultureInfo.InvariantCulture))];

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) =>
        TryRead($"/proc/{pid}/stat") is { } stat && stat[(stat.LastIndexOf(')') + 2)] != 'Z';

    private static int ParentOf(string stat) =>
        int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
