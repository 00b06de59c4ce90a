using System.Runtime.InteropServices;

namespace AcpHost.Relay.Platform;

/// <summary>
/// What the kernel says about a path (<c>statx</c>): its type, owner and permission bits, with or without following a
/// final symbolic link. .NET has no API for a file's owner or type beyond "directory"; the host needs both to refuse
/// a folder another user planted, a symlink where its own file should be, and a FIFO that would block a read for ever.
/// </summary>
/// <remarks><c>statx</c> rather than <c>stat</c>: its structure is the same on every architecture.</remarks>
public readonly partial record struct UnixFileStatus(UnixFileType Type, uint Uid, UnixFileMode Mode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int Enoent = 2;
    private const int Enotdir = 20;

    /// <summary>True when the owner is this process's effective user.</summary>
    public bool IsOwnedByMe => Uid == UnixPeer.EffectiveUserId();

    /// <summary>True when group or others have any permission at all.</summary>
    public bool IsSharedWithOthers => (Mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0;

    /// <summary>
    /// The status of <paramref name="path"/>, or null when nothing is there (or not on Linux). A final symlink is
    /// described itself when <paramref name="followSymlink"/> is false.
    /// </summary>
    /// <exception cref="IOException">The kernel refused to say (permission denied on a parent folder, …).</exception>
    public static unsafe UnixFileStatus? Of(string path, bool followSymlink = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx: stx_uid at 20, stx_mode (16 bits) at 28; 256 bytes in all.
        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, followSymlink ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir ? null : throw new IOException($"Cannot read the status of {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        uint uid = *(uint*)(buffer + 20);
        ushort mode = *(ushort*)(buffer + 28);
        return new UnixFileStatus((UnixFileType)(mode & 0xF000), uid, (UnixFileMode)(mode & 0xFFF));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string pathname, int flags, uint mask, byte* buffer);
}
