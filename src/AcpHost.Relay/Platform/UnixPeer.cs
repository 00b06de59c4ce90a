using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AcpHost.Relay.Platform;

/// <summary>
/// Who is on the other end of a Unix domain socket, as the kernel says (<c>SO_PEERCRED</c>), and who this process is:
/// what a local endpoint needs to accept only its own user.
/// </summary>
public static partial class UnixPeer
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>This process's effective user id.</summary>
    public static uint EffectiveUserId() => GetEffectiveUserId();

    /// <summary>The peer's process id and user id, or null where the platform cannot say.</summary>
    public static (int Pid, uint Uid)? CredentialsOf(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> ucred = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        return length < 8 ? null : (MemoryMarshal.Read<int>(ucred), MemoryMarshal.Read<uint>(ucred[4..]));
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
