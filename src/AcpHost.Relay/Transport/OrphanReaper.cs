using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Makes sure nothing the agent started outlives it. The Claude agent runs a native child of its own; if node dies
/// from SIGKILL, that child is orphaned and keeps working (and spending) until its current model call ends. On Linux
/// the host therefore becomes a child subreaper: orphans of the agent are re-parented to the host instead of init,
/// and once the agent has exited every such process that is not one of the host's own live children is killed.
/// Elsewhere this does nothing; the normal shutdown path (kill the whole tree while the agent lives) still applies.
/// </summary>
internal static partial class OrphanReaper
{
    private const int PrSetChildSubreaper = 36;
    private const int SigKill = 9;
    private const int WNoHang = 1;

    private static readonly ConcurrentDictionary<int, byte> OwnChildren = new();
    private static int _subreaper;

    /// <summary>Makes the host the subreaper of its descendants; call before starting the agent.</summary>
    public static void BecomeSubreaper()
    {
        if (OperatingSystem.IsLinux() && Interlocked.Exchange(ref _subreaper, 1) == 0)
        {
            _ = Prctl(PrSetChildSubreaper, 1, 0, 0, 0);
        }
    }

    /// <summary>Registers a child the host started itself, so it is never mistaken for an orphan.</summary>
    public static void Adopt(int pid) => OwnChildren[pid] = 0;

    /// <summary>Kills the processes re-parented to the host after <paramref name="exitedPid"/> exited; returns how many.</summary>
    public static int ReapAfter(int exitedPid)
    {
        OwnChildren.TryRemove(exitedPid, out _);
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var killed = new List<int>();
        foreach (int pid in ChildrenOf(Environment.ProcessId))
        {
            if (!OwnChildren.ContainsKey(pid) && Kill(pid, SigKill) == 0)
            {
                killed.Add(pid);
            }
        }

        // As their parent now, the host must also reap them, or they stay zombies (and init in a container may not
        // reap them either once the host exits). SIGKILL takes effect at once; a short bounded wait is plenty.
        var deadline = DateTime.UtcNow.AddSeconds(1);
        foreach (int pid in killed)
        {
            while (WaitPid(pid, 0, WNoHang) == 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }

        return killed.Count;
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue; // The process ended while the folder was read.
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            // Zombies (state Z) are already dead: killed orphans stay so until the host exits.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
            if (fields.Length > 1 && fields[0] != "Z" && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) && ppid == parent)
            {
                yield return pid;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, nint status, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
