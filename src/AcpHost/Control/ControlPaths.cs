using System.Globalization;
using AcpHost.Relay.Platform;

namespace AcpHost.Control;

/// <summary>
/// Where control sockets live: <c>$XDG_RUNTIME_DIR/acphost/</c> (per user, on tmpfs, cleaned at logout) when that is
/// set, else <c>&lt;data-dir&gt;/run/</c>. One socket per host process, named <c>&lt;pid&gt;.sock</c>. A Unix socket path
/// cannot exceed 107 bytes; a host whose path would be longer uses <c>/tmp/acphost-&lt;uid&gt;/</c> instead.
/// </summary>
internal static class ControlPaths
{
    /// <summary>The longest socket path the kernel accepts (sun_path is 108 bytes with its NUL).</summary>
    public const int MaxSocketPath = 107;

    /// <summary>The folders a host may put its socket in, in the order a host picks them.</summary>
    public static IReadOnlyList<string> Candidates(string dataDir, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var folders = new List<string>();
        if (environment("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            folders.Add(Path.Combine(runtime, "acphost"));
        }

        folders.Add(Path.Combine(dataDir, "run"));
        folders.Add(Path.Combine(Path.GetTempPath(), "acphost-" + UserId().ToString(CultureInfo.InvariantCulture)));
        return folders;
    }

    /// <summary>The socket path for this process: the first candidate folder where the path fits.</summary>
    public static string SocketFor(int pid, string dataDir, Func<string, string?>? environment = null)
    {
        string name = pid.ToString(CultureInfo.InvariantCulture) + ".sock";
        return Candidates(dataDir, environment).Select(folder => Path.Combine(folder, name)).First(path => path.Length <= MaxSocketPath);
    }

    /// <summary>
    /// Every socket in the candidate folders: the hosts of this user that may be running. A folder or socket that
    /// another user could have made or could reach (not owned by this user, or open to group or others, or not a
    /// socket) is skipped and reported through <paramref name="refused"/>: with <c>XDG_RUNTIME_DIR</c> unset the
    /// <c>/tmp</c> fallback is a name anyone can take first.
    /// </summary>
    public static IEnumerable<string> FindSockets(string dataDir, Func<string, string?>? environment = null, Action<string>? refused = null) =>
        Candidates(dataDir, environment)
            .Where(folder => Directory.Exists(folder) && IsPrivate(folder, UnixFileType.Directory, refused))
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.sock"))
            .Where(socket => IsPrivate(socket, UnixFileType.Socket, refused))
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="path"/> (a final symlink followed for a folder, never for a socket) is of the given
    /// type, this user's, and closed to group and others.
    /// </summary>
    public static bool IsPrivate(string path, UnixFileType type, Action<string>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            // No statx: the host's own 0700 folder and 0600 socket, and its peer check, are what remain.
            return true;
        }

        string? reason;
        try
        {
            reason = UnixFileStatus.Of(path, followSymlink: type == UnixFileType.Directory) switch
            {
                null => "it is gone",
                { Type: var actual } when actual != type => type == UnixFileType.Socket ? "it is not a socket" : "it is not a folder",
                { IsOwnedByMe: false } status => string.Create(CultureInfo.InvariantCulture, $"it belongs to uid {status.Uid}, not to you (uid {UserId()})"),
                { IsSharedWithOthers: true } => "group or others may use it",
                _ => null,
            };
        }
        catch (IOException ex)
        {
            reason = ex.Message;
        }

        if (reason is not null)
        {
            refused?.Invoke($"ignoring {path}: {reason}");
        }

        return reason is null;
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint UserId() => OperatingSystem.IsWindows() ? 0 : Relay.Platform.UnixPeer.EffectiveUserId();
}
