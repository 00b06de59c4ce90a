using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// Idle control connections cannot use up the host's file descriptors: past its limit the endpoint refuses them and
/// the relay goes on answering the editor. The agent is <c>cat</c>, which echoes each line back.
/// </summary>
public class ControlEndpointLimitTests
{
    private const int Timeout = 90_000;

    [Fact(Timeout = Timeout)]
    public async Task ManyIdleControlConnections_UnderALowFileLimit_AreRefusedAndTheRelayGoesOn()
    {
        using var data = new TempDirectory("acphost-fds");
        await using RawHost host = RawHost.Start(data.Path, "cat");
        await host.AgentPidAsync(TimeSpan.FromSeconds(30));
        string socket = (await host.WaitForLogAsync(new Regex(@"Control endpoint listening on (\S+\.sock)"), TimeSpan.FromSeconds(30))).Groups[1].Value;
        // 256 descriptors, as the attack had it, unless the host already holds more than 128 (what it inherits from a test
        // process that has run for minutes varies): the 150 idle connections must go past the limit either way, and the
        // host must keep enough to log and relay.
        int held = Directory.GetFiles($"/proc/{host.Process.Id}/fd").Length;
        int fileLimit = Math.Max(256, held + 128);
        using (Process limit = Process.Start("prlimit", ["--pid", host.Process.Id.ToString(CultureInfo.InvariantCulture), $"--nofile={fileLimit}:{fileLimit}"]))
        {
            await limit.WaitForExitAsync();
            Assert.Equal(0, limit.ExitCode);
        }

        var idle = new List<Socket>();
        try
        {
            // Each connection is retried until the host has taken it from its backlog (served or refused): a client
            // that connects faster than the host accepts is turned away by the kernel (EAGAIN on a full backlog of 16)
            // without the host ever seeing it, and the host would then never reach its limit. That race, not the host,
            // is what failed this test in loaded CI runs before.
            using (var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(40)))
            {
                for (int i = 0; i < 150; i++)
                {
                    idle.Add(await ConnectPastTheBacklogAsync(socket, connecting.Token));
                }
            }

            // The relay still answers: cat's echo of the line comes back on stdout.
            const string line = """{"jsonrpc":"2.0","method":"still/there","params":{}}""";
            await host.Process.StandardInput.WriteAsync(line + "\n");
            await host.Process.StandardInput.FlushAsync();
            Task<string?> echo = host.Process.StandardOutput.ReadLineAsync();
            Assert.Equal(line, await echo.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.False(host.Process.HasExited);
            try
            {
                await host.WaitForLogAsync(new Regex("control connection", RegexOptions.IgnoreCase), TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"No refusal logged; the host held {held} descriptors before the limit of {fileLimit}, {Directory.GetFiles($"/proc/{host.Process.Id}/fd").Length} now", ex);
            }
        }
        finally
        {
            foreach (Socket connection in idle)
            {
                connection.Dispose();
            }
        }

        // Once they are gone, the endpoint serves again (as soon as the host has seen them close: tried until then).
        using var serving = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? status = null;
        while (status is null)
        {
            serving.Token.ThrowIfCancellationRequested();
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), serving.Token);
                await using var stream = new NetworkStream(client);
                await stream.WriteAsync("""{"jsonrpc":"2.0","id":1,"method":"host/status"}"""u8.ToArray().Concat("\n"u8.ToArray()).ToArray(), serving.Token);
                using var reader = new StreamReader(stream);
                status = await reader.ReadLineAsync(serving.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                // Refused: closed as soon as accepted, while the host still counts the idle ones.
            }

            if (status is null)
            {
                await Task.Delay(100, serving.Token);
            }
        }

        Assert.Equal(host.Process.Id, JsonDocument.Parse(status).RootElement.GetProperty("result").GetProperty("pid").GetInt32());

        host.Process.StandardInput.Close();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Connects, trying again while the kernel turns the connection away because the host's backlog is full.</summary>
    private static async Task<Socket> ConnectPastTheBacklogAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await connection.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return connection;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TryAgain or SocketError.WouldBlock or SocketError.ConnectionRefused)
            {
                connection.Dispose();
                await Task.Delay(10, cancellationToken);
            }
        }
    }
}
