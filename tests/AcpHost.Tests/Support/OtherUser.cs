using System.Diagnostics;

namespace AcpHost.Tests.Support;

/// <summary>
/// Plays another local user (uid <see cref="Uid"/>) for the tests of files and sockets that must belong to this one:
/// <c>chown</c> to hand a path over, <c>setpriv</c> to run a process as that user. Both need root, which the test
/// machine has; elsewhere <see cref="Available"/> is false and the tests fail saying so rather than pass without a look.
/// </summary>
internal static class OtherUser
{
    public const int Uid = 12345;

    public static bool Available => AcpHost.Relay.Platform.UnixPeer.EffectiveUserId() == 0 && File.Exists("/usr/bin/setpriv");

    public static void Own(string path) => Run("chown", "-h", $"{Uid}:{Uid}", path);

    public static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(10_000), $"{program} did not finish");
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
    }

    /// <summary>Starts a Unix socket server as the other user at <paramref name="socketPath"/>; returns once it listens.</summary>
    public static Process Serve(string socketPath)
    {
        const string Script = "import socket,os,sys\ns=socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1])\nos.chmod(sys.argv[1],0o777)\ns.listen(8)\nprint('ready',flush=True)\nconns=[]\nwhile True:\n  c,_=s.accept()\n  conns.append(c)\n";
        var start = new ProcessStartInfo("/usr/bin/setpriv", ["--reuid=" + Uid, "--regid=" + Uid, "--clear-groups", "/usr/bin/python3", "-c", Script, socketPath])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        Process server = Process.Start(start)!;
        Assert.Equal("ready", server.StandardOutput.ReadLine());
        return server;
    }
}
