using System.IO.Pipelines;
using System.Text;
using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

/// <summary>The client's end of input is seen even while the relay is stuck writing to an agent that stopped reading.</summary>
public class RelayShutdownTests
{
    private const int Timeout = 20_000;

    [Fact(Timeout = Timeout)]
    public async Task ClientClosesInput_WhileTheAgentReadsNothing_AgentIsKilledAfterTheGraceAndTheRelayEnds()
    {
        // The client's input comes through a reader thread, as the host's stdin does; the agent reads nothing, so the
        // relay's writes to it block once 16 KiB are buffered.
        var clientToRelay = new Pipe();
        var relayToClient = new Pipe();
        var small = new PipeOptions(pauseWriterThreshold: 16 * 1024, resumeWriterThreshold: 8 * 1024);
        var agent = new FakeAgentConnection(fromRelayOptions: small) { ExitWhenInputCloses = false };
        var options = new RelayOptions { ShutdownGrace = TimeSpan.FromMilliseconds(500), DrainTimeout = TimeSpan.FromMilliseconds(300) };
        var relay = new JsonRpcRelay(
            ReaderThread.Start(clientToRelay.Reader.AsStream(), "test client stdin"), relayToClient.Writer, agent,
            new RelaySetup { Options = options, Dialect = AcpDialect.Instance, Log = new ListLogger<JsonRpcRelay>() });
        Task<RelayOutcome> run = relay.RunAsync(CancellationToken.None);
        byte[] line = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"x","params":"{{{new string('p', 1000)}}}"}""" + "\n");
        for (int i = 0; i < 100; i++)
        {
            await clientToRelay.Writer.WriteAsync(line);
        }

        await clientToRelay.Writer.CompleteAsync();

        RelayOutcome outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RelayEnd.ClientClosed, outcome.End);
        Assert.True(agent.WasKilled);
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientClosesInput_PumpComesUnstuckWithinTheGrace_TheAgentGetsOneGraceCountedFromTheEnd()
    {
        // As above, but the agent takes in what was stuck just before the grace runs out and still does not exit: the
        // client's pump then finishes, and the agent's grace must go on counting from the client's end of input, not
        // start again (that was up to two graces plus the drains: 15 s after end of input with the defaults).
        TimeSpan grace = TimeSpan.FromSeconds(2);
        var clientToRelay = new Pipe();
        var relayToClient = new Pipe();
        var small = new PipeOptions(pauseWriterThreshold: 16 * 1024, resumeWriterThreshold: 8 * 1024);
        var agent = new FakeAgentConnection(fromRelayOptions: small) { ExitWhenInputCloses = false };
        DateTimeOffset? endBy = null;
        var relay = new JsonRpcRelay(
            ReaderThread.Start(clientToRelay.Reader.AsStream(), "test client stdin"), relayToClient.Writer, agent,
            new RelaySetup { Options = new RelayOptions { ShutdownGrace = grace }, Dialect = AcpDialect.Instance, Log = new ListLogger<JsonRpcRelay>(), Ending = at => endBy = at });
        Task<RelayOutcome> run = relay.RunAsync(CancellationToken.None);
        byte[] line = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"x","params":"{{{new string('p', 1000)}}}"}""" + "\n");
        for (int i = 0; i < 100; i++)
        {
            await clientToRelay.Writer.WriteAsync(line);
        }

        await Conditions.UntilAsync(() => agent.RelayWaitsToWrite, TimeSpan.FromSeconds(30), "the relay stuck writing to the agent");
        long ended = System.Diagnostics.Stopwatch.GetTimestamp();
        await clientToRelay.Writer.CompleteAsync();
        await Conditions.UntilAsync(() => endBy is not null, TimeSpan.FromSeconds(30), "the relay's end begun at the client's end of input");
        await Task.Delay(grace * 0.8);
        for (int i = 0; i < 100; i++)
        {
            await agent.ReadFromRelay.NextAsync();
        }

        await run.WaitAsync(TimeSpan.FromSeconds(30));
        (TimeSpan given, long asked) = Assert.NotNull(agent.ShutdownAsked);
        TimeSpan killAt = System.Diagnostics.Stopwatch.GetElapsedTime(ended, asked) + given;
        Assert.True(killAt <= grace + TimeSpan.FromMilliseconds(500), $"the agent was to be killed {killAt.TotalSeconds:N2} s after the client's end of input (grace {grace.TotalSeconds} s)");
        Assert.True(agent.WasKilled);
    }
}
