using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// A client that closes its end of stdout, or stops reading it: the host notices, shuts down within its bounds, leaves
/// no agent behind, and its log never waits on the protocol pipe. The agent is a shell
/// around <c>cat</c>: the protocol needs no real agent here, only one that echoes and writes to stderr.
/// </summary>
public class ClientStdoutTests
{
    private const int Timeout = 90_000;

    private const string Ping = """{"jsonrpc":"2.0","method":"ping","params":{"n":1}}""";

    [Fact(Timeout = Timeout)]
    public async Task ClientClosesItsEndOfStdout_KeepingStdinOpen_HostShutsDownAndTheAgentIsGone()
    {
        using var data = new TempDirectory("acphost-epipe");
        await using RawHost host = RawHost.Start(data.Path, "cat");
        int agentPid = await host.AgentPidAsync(TimeSpan.FromSeconds(30));

        host.Process.StandardOutput.Close();
        await host.Process.StandardInput.WriteAsync(Ping + "\n");
        await host.Process.StandardInput.FlushAsync();

        // The echo cannot be delivered (EPIPE): the client is gone, although its stdin is still open.
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Client stopped reading", host.Stderr, StringComparison.Ordinal);
        Assert.False(ProcessTable.IsAlive(agentPid), "the agent outlived the host");
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientStopsReadingStdout_LoggingGoesOnAndSigtermEndsHostAndAgentPromptly()
    {
        using var data = new TempDirectory("acphost-stall");

        // The agent echoes stdin and writes a numbered line to stderr every 100 ms.
        await using RawHost host = RawHost.Start(data.Path, "sh", "-c", "(i=0; while :; do i=$((i+1)); echo \"tick $i\" >&2; sleep 0.1; done) & exec cat");
        int agentPid = await host.AgentPidAsync(TimeSpan.FromSeconds(30));

        // Flood until everything between the test and the host's stdout is full and the writes stall.
        byte[] line = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"flood","params":{"pad":"{{{new string('x', 4000)}}}"}}""" + "\n");
        long written = 0;
        Stream stdin = host.Process.StandardInput.BaseStream;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await stdin.WriteAsync(line);
                    Interlocked.Add(ref written, line.Length);
                }
            }
            catch (IOException)
            {
                // The host went away.
            }
        });
        // A stall is progress that stops: seen as no byte written for a whole second, bounded by a deadline so that a
        // host that keeps reading fails here with a message instead of at the test's timeout.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long before;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, $"the host kept reading its stdin for 60 s ({Interlocked.Read(ref written)} bytes)");
            before = Interlocked.Read(ref written);
            await Task.Delay(1000);
        }
        while (Interlocked.Read(ref written) != before);

        // The host's stdout is full; its log still gets the agent's stderr lines.
        int lastTick = Regex.Matches(host.Stderr, @"tick (\d+)").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        await host.WaitForLogAsync(new Regex($@"tick {lastTick + 5}\b"), TimeSpan.FromSeconds(10));

        HostUnderTest.Signal(host.Process.Id, "TERM");

        await host.WaitForLogAsync(new Regex("Stop requested"), TimeSpan.FromSeconds(30));
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.False(ProcessTable.IsAlive(agentPid), "the agent outlived the host");
    }
}
