using AcpHost.Events;
using AcpHost.Control;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;
using AcpHost.Settings;
using AcpHost.Relay.Platform;
using AcpHost.Relay.Transport;
using AcpHost.State;
using AcpHost.Tests.Control;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Tests.Security;

/// <summary>
/// Another local user cannot stand in for this user's hosts: the CLI ignores socket folders and sockets it could
/// have made, refuses a peer of another uid, and the host refuses a runtime folder that is not its user's.
/// </summary>
public sealed class ControlPlaneSpoofingTests : IDisposable
{
    private const int Timeout = 20_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("ah-spoof-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Runtime => Path.Combine(_folder, "rt");

    private string SocketFolder => Path.Combine(Runtime, "acphost");

    private Func<string, string?> Environment => name => name == "XDG_RUNTIME_DIR" ? Runtime : null;

    [Fact(Timeout = Timeout)]
    public async Task Ps_SocketFolderOfAnotherUser_IsIgnoredWithAClearMessage()
    {
        Assert.True(OtherUser.Available, "needs root and setpriv to play another user");
        await using var attacker = FakeControlServer.Start(SocketFolder, ControlSamples.Host(31337, "/attacker"));
        File.SetUnixFileMode(SocketFolder, (UnixFileMode)0x1FF);
        OtherUser.Own(SocketFolder);

        (int exitCode, string stdout, string stderr) = await InProcessCli.RunAsync(["ps", "--data-dir", Path.Combine(_folder, "data")], Environment);

        Assert.Equal(0, exitCode);
        Assert.Equal("No running AcpHost found.", stdout.Trim());
        Assert.Contains("belongs to uid 12345", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task FindSockets_SocketOpenToOthers_IsIgnored()
    {
        await using var loose = FakeControlServer.Start(SocketFolder, ControlSamples.Host(31338, "/loose"));
        File.SetUnixFileMode(loose.SocketPath, (UnixFileMode)0x1B6); // 0666
        var refused = new List<string>();

        List<string> found = [.. ControlPaths.FindSockets(Path.Combine(_folder, "data"), Environment, refused.Add)];

        Assert.Empty(found);
        Assert.Contains(refused, reason => reason.Contains("group or others", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task ConnectAsync_PeerOfAnotherUid_IsRefused()
    {
        Assert.True(OtherUser.Available, "needs root and setpriv to play another user");
        File.SetUnixFileMode(_folder, (UnixFileMode)0x1ED); // 0755: the other user must reach its own folder inside
        string theirs = Path.Combine(_folder, "theirs");
        Directory.CreateDirectory(theirs);
        OtherUser.Own(theirs);
        using System.Diagnostics.Process server = OtherUser.Serve(Path.Combine(theirs, "1.sock"));
        try
        {
            // The socket file is moved into this user's private folder and made this user's: only the peer check is left.
            Directory.CreateDirectory(SocketFolder, OwnFiles.PrivateFolder);
            string socket = Path.Combine(SocketFolder, "1.sock");
            File.Move(Path.Combine(theirs, "1.sock"), socket);
            OtherUser.Run("chown", "0:0", socket);
            File.SetUnixFileMode(socket, OwnFiles.PrivateFile);

            UnauthorizedAccessException refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ControlClient.ConnectAsync(socket));

            Assert.Contains("served by uid 12345", refused.Message, StringComparison.Ordinal);
            Assert.Empty(await ControlClient.DiscoverAsync(Path.Combine(_folder, "data"), Environment));
        }
        finally
        {
            server.Kill();
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task EndpointStart_RuntimeFolderOfAnotherUser_IsRefusedAndLeftAlone()
    {
        Assert.True(OtherUser.Available, "needs root and setpriv to play another user");
        Directory.CreateDirectory(SocketFolder);
        File.SetUnixFileMode(SocketFolder, (UnixFileMode)0x1FF);
        OtherUser.Own(SocketFolder);
        var sessions = new SessionRegistry();
        var events = new HostEventBus();
        var settings = Options.Create(new HostSettings { DataDir = Path.Combine(_folder, "data") });
        var handler = new ControlRequestHandler(settings, new HostState(TimeProvider.System), sessions, new ForkService(sessions, TimeProvider.System),
            new ClientChannel(), events, TimeProvider.System, new ListLogger<ControlRequestHandler>());
        var log = new ListLogger<ControlEndpoint>();
        await using var endpoint = new ControlEndpoint(settings, handler, sessions, events, TimeProvider.System, log, Environment);

        await endpoint.StartAsync(CancellationToken.None);

        Assert.Null(endpoint.SocketPath);
        Assert.True(log.Contains(LogLevel.Warning, "belongs to uid 12345"));
        Assert.Equal((UnixFileMode)0x1FF, File.GetUnixFileMode(SocketFolder));
        Assert.Empty(Directory.GetFiles(SocketFolder));
    }
}
