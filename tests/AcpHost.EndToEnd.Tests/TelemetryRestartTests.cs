using System.Diagnostics;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Otlp;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>An agent that dies and is restarted reaches the collector: the restart event and its counter, over OTLP.</summary>
[Collection(RealAgentCollection.Name)]
public class TelemetryRestartTests(AgentInstall install)
{
    private const int Timeout = 300_000;
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    // An agent ended by SIGKILL exits with 128 + 9, as AgentRestarted.ExitCode says.
    private const long KilledExitCode = 137;

    [Fact(Timeout = Timeout)]
    public async Task Otlp_AgentKilled_TheCollectorGetsTheRestartWithWhatWasResumedAndLost()
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync("http/protobuf");
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, receiver.ExportEnvironment());
        await session.InitializeAsync();
        string prompted = await session.NewSessionAsync();
        await session.PromptAsync(prompted, "Hello before the crash");
        string neverPrompted = await session.NewSessionAsync();

        int from = session.Host.MessageCount;
        int agentPid = await session.Host.AgentPidAsync(TimeSpan.FromSeconds(30));
        using (Process agent = Process.GetProcessById(agentPid))
        {
            agent.Kill();
        }

        JsonElement restarted = (await session.Host.WaitForAsync(
            m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/agent_restarted", TimeSpan.FromSeconds(90), from)).GetProperty("params");
        Assert.Equal(1, restarted.GetProperty("sessionsResumed").GetInt32());

        // The collector hears the same restart the client was told of.
        OtlpLog restart = await receiver.WaitForLogAsync(l => l["event.name"] as string == "acphost.agent.restart", ArrivalTimeout);
        Assert.Equal(1L, restart["attempt"]);
        Assert.Equal(KilledExitCode, restart["exit_code"]);
        Assert.Equal(1L, restart["sessions_resumed"]);
        Assert.Equal(1L, restart["sessions_lost"]);
        Assert.Equal(neverPrompted, restart["lost.session.ids"]);
        Assert.Equal((long)session.Host.ProcessId, restart.Resource["process.pid"]);
        await receiver.WaitForPointAsync(p => p.Metric == "acphost.agent.restart.count" && p.Value >= 1, ArrivalTimeout);

        // And the session the new agent took back still answers.
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(prompted, "Still there?")).GetProperty("stopReason").GetString());
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }
}
