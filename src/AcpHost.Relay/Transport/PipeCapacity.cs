using System.Runtime.InteropServices;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Grows the kernel buffer of a pipe (Linux <c>F_SETPIPE_SZ</c>). With the default 64 KiB a flood from the agent
/// makes both processes take turns in 64 KiB steps: the agent blocks on a full pipe, the host wakes, drains it, and
/// sleeps again, a pair of context switches per 64 KiB. A larger buffer lets each read take up to that much at once.
/// </summary>
/// <remarks>
/// Measured on a quiet machine, side by side: without it both floods fall well behind the build before while the relay
/// spends no more CPU per message, i.e. it waits on the pipe. On a loaded machine the effect drowns (it was removed
/// once on such figures and restored): judge it on quiet runs only (figures: bench/HISTORY.md, "What each micro-optimisation buys").
/// Best effort: elsewhere than Linux, on something that is not a pipe (a file, a terminal), or above the system's
/// <c>/proc/sys/fs/pipe-max-size</c> for an unprivileged user, the call fails and the pipe stays as it was.
/// </remarks>
public static partial class PipeCapacity
{
    /// <summary>The size asked for: the default <c>pipe-max-size</c>, so unprivileged users get it too.</summary>
    public const int Preferred = 1024 * 1024;

    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    /// <summary>Asks for <see cref="Preferred"/> bytes on a stream that is a pipe (a child's stdio); false for any other or if refused.</summary>
    public static bool TryGrow(Stream stream) => stream is System.IO.Pipes.PipeStream pipe && TryGrow(pipe.SafePipeHandle);

    private static bool TryGrow(SafeHandle descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        bool added = false;
        try
        {
            descriptor.DangerousAddRef(ref added);
            return TryGrow((int)descriptor.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                descriptor.DangerousRelease();
            }
        }
    }

    /// <summary>As <see cref="TryGrow(Stream)"/>, for a descriptor number (0 and 1 for the host's own stdio).</summary>
    public static bool TryGrow(int descriptor) => OperatingSystem.IsLinux() && SetSize(descriptor, SetPipeSize, Preferred) >= Preferred;

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int SetSize(int descriptor, int command, int size);
}
