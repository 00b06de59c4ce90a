using System.Diagnostics;
using System.Net.Sockets;
using AcpHost.Control;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Control;

/// <summary>The control endpoint's socket folder: stale sockets of dead hosts, and peers of another user.</summary>
public sealed partial class ControlEndpointTests
{
    [Fact(Timeout = Timeout)]
    public async Task Start_StaleSocketOfADeadHost_IsRemoved()
    {
        string folder = Path.Combine(_folder, "rt", "acphost");
        Directory.CreateDirectory(folder);
        string stale = Path.Combine(folder, "999999.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(stale)); // bound, never listening, then closed: what a killed host leaves
        }

        await _endpoint.StartAsync(CancellationToken.None);

        // Looked at off the start, which waits on no other host.
        await Conditions.UntilAsync(() => !File.Exists(stale), TimeSpan.FromSeconds(30), "the stale socket removed");
        Assert.True(File.Exists(_endpoint.SocketPath));
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_SocketOfAStoppedHostWithAFullBacklog_DoesNotHoldTheStartAndIsKept()
    {
        // What a stopped host (SIGSTOP) leaves: its process is there, its socket listens, nobody accepts, and the
        // backlog is full, so a blocking connect waits for ever. The endpoint's start must not wait on it.
        string folder = Path.Combine(_folder, "rt", "acphost");
        Directory.CreateDirectory(folder);
        using Process stopped = Process.Start(new ProcessStartInfo("sleep", "600"))!;
        string stuck = Path.Combine(folder, stopped.Id + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(stuck));
        listener.Listen(1);
        var queued = new List<Socket>();
        try
        {
            while (true)
            {
                var waiting = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
                queued.Add(waiting);
                try
                {
                    waiting.Connect(new UnixDomainSocketEndPoint(stuck));
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
                {
                    break; // the backlog is full
                }
            }

            Task starting = _endpoint.StartAsync(CancellationToken.None);
            await Conditions.UntilAsync(() => starting.IsCompleted, TimeSpan.FromSeconds(30), "the endpoint's start");
            await starting;
            await Conditions.UntilAsync(() => _log.Contains(LogLevel.Information, "Control endpoint listening"), TimeSpan.FromSeconds(30), "the endpoint listening");
            (Socket socket, StreamReader reader) = await ConnectAsync(_endpoint.SocketPath!);
            using (socket)
            {
                Assert.Equal(9, (await AskAsync(socket, reader, """{"jsonrpc":"2.0","id":9,"method":"host/status"}""")).GetProperty("id").GetInt32());
            }

            // A host that is only stopped is not stale: its socket stays for when it runs again.
            Assert.True(File.Exists(stuck));
        }
        finally
        {
            queued.ForEach(socket => socket.Dispose());
            stopped.Kill();
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task ForeignUser_IsRefusedEvenIfTheFilesWereMadeWorldWritable()
    {
        Assert.True(Environment.UserName == "root", "this test runs a client as another user, which needs root (CI and sessions run as root)");
        await _endpoint.StartAsync(CancellationToken.None);
        string path = _endpoint.SocketPath!;

        // Defence in depth: even with the folder and socket opened up by mistake, the kernel's peer uid decides.
        foreach (string folder in new[] { _folder, Path.Combine(_folder, "rt"), Path.GetDirectoryName(path)! })
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }

        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        const string client = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.settimeout(5)
            # The host may refuse and close before the request is even sent: a broken pipe is a refusal too.
            try:
                s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"host/status"}\n')
                data = s.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                data = b""
            print("ANSWER:" + data.decode() if data else "CLOSED")
            """;
        var info = new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", client, path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(output.Trim() == "CLOSED", $"a foreign user got: {output} {errors}");
        Assert.True(_log.Contains(LogLevel.Warning, "Refused a control connection from uid 65534"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(20);
        }
    }
}
