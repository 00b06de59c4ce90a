using System.CommandLine;
using AcpHost.Cli;
using AcpHost.Control;
using AcpHost.Tests.Control;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Cli;

/// <summary>
/// <c>ps</c> and <c>watch</c> show what a host reports (session ids, cwds) with control characters escaped.
/// </summary>
public sealed class TerminalTextControlTests : IDisposable
{
    private const int Timeout = 20_000;
    private const string Hostile = "x\u001b]0;pwned\u0007";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("ah-").FullName;

    private string Run => Path.Combine(_dataDir, "run");

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact(Timeout = Timeout)]
    public async Task Ps_HostileCwdAndSessionId_AreEscaped()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir,
            [new() { SessionId = "s" + Hostile, Cwd = "/work/" + Hostile, CreatedAt = ControlSamples.T0 }]) with { Cwd = "/work/" + Hostile });

        (int exitCode, string stdout, string stderr) = await InProcessCli.RunAsync(["ps", "--data-dir", _dataDir], ControlSamples.NoRuntimeDir);

        Assert.True(exitCode == 0, stderr);
        Assert.DoesNotContain(stdout, c => char.IsControl(c) && c != '\n');
        Assert.Contains(@"/work/x\x1b]0;pwned\x07", stdout, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_HostileSessionIdInAnEvent_IsEscaped()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        using var output = new CollectingWriter();
        using var error = new CollectingWriter();
        using var stop = new CancellationTokenSource();
        Task<int> watching = AcpHostCommandLine.Create(ControlSamples.NoRuntimeDir)
            .Parse(["watch", "--data-dir", _dataDir])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        await host.WaitForSubscribersAsync();

        await host.PublishAsync(ControlMethods.UsageEventName, """{"sessionId":"s\u001b]0;pwned\u0007","usedTokens":7,"at":"2026-03-01T10:01:05Z"}""");
        string line = Assert.Single(await output.WaitForLinesAsync(1));
        await stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.DoesNotContain(line, char.IsControl);
        Assert.Contains(@"s\x1b]0;pwned\x07", line, StringComparison.Ordinal);
    }
}
