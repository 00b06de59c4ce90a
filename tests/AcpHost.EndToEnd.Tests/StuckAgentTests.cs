using System.Text;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// An agent that stops reading its stdin cannot keep the host alive once the client has gone. The
/// agent is <c>sleep</c>, which never reads: the host's writes to it fill its pipe and block.
/// </summary>
public class StuckAgentTests
{
    private const int Timeout = 90_000;

    [Fact(Timeout = Timeout)]
    public async Task AgentStopsReadingStdin_ThenClientClosesStdin_AgentIsKilledAfterTheGraceAndHostExits()
    {
        using var data = new TempDirectory("acphost-stuck");
        await using RawHost host = RawHost.Start(data.Path, "sleep", "600");
        int agentPid = await host.AgentPidAsync(TimeSpan.FromSeconds(30));
        _ = host.Process.StandardOutput.ReadToEndAsync();

        // 1.5 MiB: more than the agent's pipe (1 MiB) takes, so the relay is stuck writing to it, but less than the
        // host's stdin buffers hold, so the client's own writes do not block and it can close its end.
        byte[] line = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"flood","params":{"pad":"{{{new string('x', 4000)}}}"}}""" + "\n");
        Stream stdin = host.Process.StandardInput.BaseStream;
        for (int i = 0; i < 384; i++)
        {
            await stdin.WriteAsync(line).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        await stdin.FlushAsync();
        host.Process.StandardInput.Close();
        DateTime closed = DateTime.UtcNow;
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(DateTime.UtcNow - closed < TimeSpan.FromSeconds(20), $"exit took {DateTime.UtcNow - closed}");
        Assert.False(ProcessTable.IsAlive(agentPid), "the agent outlived the host");
        Assert.Contains("killed its process tree", host.Stderr, StringComparison.Ordinal);
    }
}
