using System.Runtime.InteropServices;

namespace AcpHost.Relay.Transport;

/// <summary>
/// How many more files this process may open. The runtime itself needs descriptors as it goes (executable memory for
/// freshly compiled code is mapped through one): a process that runs out does not fail politely but crashes (issue
/// 15: "Out of memory." or SIGSEGV at the next client line). Whatever a peer can make the host open is checked here.
/// </summary>
public static partial class FileDescriptors
{
    private const int RlimitNoFile = 7;

    /// <summary>The descriptors left under the soft limit, or null where that cannot be known.</summary>
    public static long? Spare()
    {
        if (!OperatingSystem.IsLinux() || GetRlimit(RlimitNoFile, out RLimit limit) != 0)
        {
            return null;
        }

        try
        {
            // Listing the folder opens one more descriptor itself: counted, which errs on the safe side.
            int open = Directory.GetFileSystemEntries("/proc/self/fd").Length;
            return limit.Current > long.MaxValue ? long.MaxValue : (long)limit.Current - open;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not even the listing could be opened: nothing is spare.
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRlimit(int resource, out RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
