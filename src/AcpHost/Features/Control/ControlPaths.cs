using System.Globalization;

namespace AcpHost.Features.Control;

/// <summary>
/// Where control sockets live: <c>$XDG_RUNTIME_DIR/acphost/</c> (per user, on tmpfs, cleaned at logout) when that is
/// set, else <c>&lt;data-dir&gt;/run/</c>. One socket per host process, named <c>&lt;pid&gt;.sock</c>. A Unix socket path
/// cannot exceed 107 bytes; a host whose path would be longer uses <c>/tmp/acphost-&lt;uid&gt;/</c> instead.
/// </summary>
public static class ControlPaths
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

    /// <summary>Every socket in the candidate folders: the hosts of this user that may be running.</summary>
    public static IEnumerable<string> FindSockets(string dataDir, Func<string, string?>? environment = null) =>
        Candidates(dataDir, environment)
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.sock"))
            .Distinct(StringComparer.Ordinal);

    /// <summary>The effective user id of this process.</summary>
    public static uint UserId() => OperatingSystem.IsWindows() ? 0 : Relay.Transport.UnixPeer.EffectiveUserId();
}
