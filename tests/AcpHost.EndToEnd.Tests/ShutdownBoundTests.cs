using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// However its peers behave, the host ends within <c>Relay:ShutdownGrace</c> plus a second of being told to (SIGTERM),
/// or of the client's end of input: a client that reads nothing, an agent that reads nothing.
/// </summary>
public class ShutdownBoundTests
{
    private const int Timeout = 120_000;

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    // What a loaded two-core machine may add to the host's own bound: delivering the signal, the runtime's exit.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private static readonly byte[] Flood = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"flood","params":{"pad":"{{{new string('x', 4000)}}}"}}""" + "\n");

    [Fact(Timeout = Timeout)]
    public async Task Sigterm_WhileTheClientReadsNothing_HostEndsWithinTheGracePlusASecond()
    {
        using var data = new TempDirectory("acphost-bound-term");
        await using RawHost host = RawHost.Start(data.Path, ["--set", "Relay:ShutdownGrace=00:00:02"], "cat");
        int agentPid = await host.AgentPidAsync(TimeSpan.FromSeconds(30));
        await FloodUntilStalledAsync(host);

        var watch = Stopwatch.StartNew();
        HostUnderTest.Signal(host.Process.Id, "TERM");
        await host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        TimeSpan took = watch.Elapsed;

        Assert.True(took <= Grace + TimeSpan.FromSeconds(1) + Slack, $"the host took {took.TotalSeconds:N1} s to end after SIGTERM; log:\n{host.Stderr}");
        Assert.False(ProcessTable.IsAlive(agentPid), "the agent outlived the host");
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientEndOfInput_WhileTheAgentReadsNothing_HostEndsWithinTheGracePlusASecond()
    {
        using var data = new TempDirectory("acphost-bound-eof");
        await using RawHost host = RawHost.Start(data.Path, ["--set", "Relay:ShutdownGrace=00:00:02"], "sleep", "600");
        int agentPid = await host.AgentPidAsync(TimeSpan.FromSeconds(30));
        _ = host.Process.StandardOutput.ReadToEndAsync();

        // More than the agent's pipe takes, so the relay is stuck writing to it, but less than the host's stdin and its
        // reader hold, so the client's own writes do not block and it can close its end.
        Stream stdin = host.Process.StandardInput.BaseStream;
        for (int i = 0; i < 384; i++)
        {
            await stdin.WriteAsync(Flood).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await stdin.FlushAsync();
        var watch = Stopwatch.StartNew();
        host.Process.StandardInput.Close();
        await host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        TimeSpan took = watch.Elapsed;

        Assert.True(took <= Grace + TimeSpan.FromSeconds(1) + Slack, $"the host took {took.TotalSeconds:N1} s to end after the client's end of input; log:\n{host.Stderr}");
        Assert.False(ProcessTable.IsAlive(agentPid), "the agent outlived the host");
    }

    /// <summary>Writes until nothing more goes in for a whole second: the host's stdout and stdin are full.</summary>
    internal static async Task FloodUntilStalledAsync(RawHost host)
    {
        long written = 0;
        Stream stdin = host.Process.StandardInput.BaseStream;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await stdin.WriteAsync(Flood);
                    Interlocked.Add(ref written, Flood.Length);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The host went away.
            }
        });

        var deadline = Stopwatch.StartNew();
        long before;
        do
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"the host kept reading its stdin for 60 s ({Interlocked.Read(ref written)} bytes)");
            before = Interlocked.Read(ref written);
            await Task.Delay(1000);
        }
        while (Interlocked.Read(ref written) != before);
    }
}
