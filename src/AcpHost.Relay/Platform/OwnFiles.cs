using System.Globalization;
using System.Runtime.InteropServices;
using AcpHost.Relay.Platform;
using Microsoft.Win32.SafeHandles;

namespace AcpHost.Relay.Platform;

/// <summary>
/// The host's own files and folders (ledgers, logs, trace, control sockets): folders must belong to this user and are
/// kept to it (0700), files are opened without following a symlink and kept to their owner (0600), so another local
/// user can neither read them nor make the host write or chmod something of theirs. The owner and no-follow checks use
/// Linux's <c>statx</c> and <c>open</c> flags; elsewhere files and folders are still created owner-only, unchecked.
/// </summary>
public static partial class OwnFiles
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const int OCreat = 0x40;
    private const int OAppend = 0x400;
    private const int OCloexec = 0x80000;

    /// <summary>
    /// Creates <paramref name="path"/> (0700) or checks the folder that is there: it must be a folder of this user's
    /// (a symlink to one is accepted, the folder it names is what is checked and tightened); group and other access
    /// is removed. Throws <see cref="IOException"/> with a message a person can act on otherwise.
    /// </summary>
    public static void EnsurePrivateFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(path, PrivateFolder);
            return;
        }

        if (UnixFileStatus.Of(path, followSymlink: true) is null)
        {
            Directory.CreateDirectory(path, PrivateFolder);
        }

        UnixFileStatus status = UnixFileStatus.Of(path, followSymlink: true) ?? throw new IOException($"{path} vanished while it was being created");
        if (status.Type != UnixFileType.Directory)
        {
            throw new IOException($"{path} is not a folder; refusing to use it");
        }

        RefuseForeign(path, status);
        if (status.IsSharedWithOthers)
        {
            // The folder itself, never through a symlink: resolve first, and the resolved folder was just checked to be ours.
            string real = new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            File.SetUnixFileMode(real, PrivateFolder);
        }
    }

    /// <summary>
    /// Throws when <paramref name="path"/> is there but is not a regular file of this user's: a symlink, a FIFO, a
    /// device, or someone else's file. Nothing there is fine.
    /// </summary>
    public static void RefuseUnlessOwnFileOrAbsent(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (UnixFileStatus.Of(path) is not { } status)
        {
            return;
        }

        if (status.Type == UnixFileType.SymbolicLink)
        {
            throw new IOException($"{path} is a symbolic link; the host does not follow links to its own files");
        }

        if (status.Type != UnixFileType.Regular)
        {
            throw new IOException($"{path} is not a regular file; refusing to use it");
        }

        RefuseForeign(path, status);
    }

    /// <summary>
    /// Opens (creating it 0600) one of the host's own files with <c>O_NOFOLLOW</c>: a symlink at the path fails the
    /// open instead of being followed. The mode of an existing file is tightened on the descriptor, never by path.
    /// </summary>
    public static FileStream OpenNoFollow(string path, FileAccess access, bool append = false, int bufferSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            var options = new FileStreamOptions { Mode = append ? FileMode.Append : FileMode.OpenOrCreate, Access = access, Share = FileShare.ReadWrite, BufferSize = bufferSize };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFile;
            }

            return new FileStream(path, options);
        }

        int flags = (access == FileAccess.Write ? 1 : access == FileAccess.ReadWrite ? 2 : 0) | OCreat | OCloexec | NoFollowFlag() | (append ? OAppend : 0);
        var handle = new SafeFileHandle((IntPtr)Open(path, flags, (uint)PrivateFile), ownsHandle: true);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();

            // ELOOP: the last component is a symlink.
            throw new IOException(errno == 40
                ? $"{path} is a symbolic link; the host does not follow links to its own files"
                : $"Cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        try
        {
            UnixFileStatus? status = UnixFileStatus.Of(path);
            if (status is { } known)
            {
                RefuseForeign(path, known);
            }

            File.SetUnixFileMode(handle, PrivateFile);
            return new FileStream(handle, access, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void RefuseForeign(string path, UnixFileStatus status)
    {
        if (!status.IsOwnedByMe)
        {
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture,
                $"{path} belongs to uid {status.Uid}, not to this user (uid {UnixPeer.EffectiveUserId()}); refusing to use it"));
        }
    }

    // O_NOFOLLOW differs between architectures: 0x8000 on ARM, 0x20000 on x86.
    private static int NoFollowFlag() =>
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string pathname, int flags, uint mode);
}
