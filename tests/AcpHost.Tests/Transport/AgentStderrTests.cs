using AcpHost.Relay.Transport;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Transport;

/// <summary>An agent's stderr costs the host a bounded amount of memory and log, however it is written.</summary>
[Collection(RealChildProcessCollection.Name)]
public class AgentStderrTests
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task Stderr_ALineOfFourMebibytes_IsLoggedCutToItsCapWithTheRestCounted()
    {
        // 4 MiB of 'x' without a newline, then a short line: a process the host cannot hold whole line by line.
        var log = new ListLogger<AgentProcess>();
        var launch = new AgentLaunch("sh", ["-c", "head -c 4194304 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'after the flood' >&2"]);
        await using AgentProcess agent = AgentProcess.Start(launch, log);

        AgentExit exit = await agent.Exited.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exit.ExitCode);
        string[] lines = [.. log.Entries.Where(e => e.Level == LogLevel.Information).Select(e => e.Message)];
        string flood = Assert.Single(lines, l => l.StartsWith("xxxx", StringComparison.Ordinal));
        Assert.True(flood.Length <= 9 * 1024, $"the logged line is {flood.Length} characters long");
        Assert.Contains((4194304 - 8192).ToString(System.Globalization.CultureInfo.InvariantCulture), flood, StringComparison.Ordinal);
        Assert.Contains("after the flood", lines);
        Assert.All(exit.LastStderrLines, l => Assert.True(l.Length <= 9 * 1024));
    }
}
