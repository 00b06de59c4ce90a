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

    /// <summary><paramref name="root"/> and every live process below it.</summary>
    public static int[] TreeOf(int root)
    {
        var tree = new List<int> { root };
        for (int i = 0; i < tree.Count; i++)
        {
            tree.AddRange(ChildrenOf(tree[i]).Where(IsAlive));
        }

        return [.. tree];
    }

    /// <summary>The resident memory of a process (VmRSS), in bytes; 0 when it is gone.</summary>
    public static long RssBytes(int pid)
    {
        string? line = TryRead($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The process's command line, arguments joined by spaces; empty when it is gone.</summary>
    public static string CommandLine(int pid) => (TryRead($"/proc/{pid}/cmdline") ?? "").Replace('\0', ' ').Trim();

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
