using System.Globalization;
using System.Runtime.InteropServices;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Keeps this process's descriptors out of the processes it starts: every descriptor above stderr is marked
/// close-on-exec, so a child gets its three stdio pipes and nothing else. .NET opens its own files, sockets and pipes
/// with <c>O_CLOEXEC</c>, but a host inherits whatever its parent left open without it (an editor, a test runner: in
/// whole-suite end-to-end runs some hundred descriptors), and without this they passed on to the agent, its tools
/// and every restart. Called just before each child is started.
/// </summary>
public static partial class ChildDescriptors
{
    private const uint CloseRangeCloexec = 1u << 2;
    private const int SetDescriptorFlags = 2;
    private const int CloexecFlag = 1;

    /// <summary>Marks every descriptor above 2 close-on-exec (Linux; elsewhere nothing is done).</summary>
    public static void CloseOnExec()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // One call on Linux 5.11+ with glibc 2.34+.
            if (CloseRange(3, uint.MaxValue, CloseRangeCloexec) == 0)
            {
                return;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // An older C library: one descriptor at a time below.
        }

        try
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int descriptor) && descriptor > 2)
                {
                    // A descriptor closed meanwhile (the listing's own) fails with EBADF: nothing to do for it.
                    _ = SetFlags(descriptor, SetDescriptorFlags, CloexecFlag);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No /proc: the child inherits what this process inherited, as it did before.
        }
    }

    [LibraryImport("libc", EntryPoint = "close_range", SetLastError = false)]
    private static partial int CloseRange(uint first, uint last, uint flags);

    // fcntl(fd, F_SETFD, FD_CLOEXEC): the third argument is an int, passed as a fixed one on the Linux ABIs .NET runs on.
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = false)]
    private static partial int SetFlags(int descriptor, int command, int argument);
}
