using System.IO.Pipelines;
using System.Text;
using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

/// <summary>The client's end of input is seen even while the relay is stuck writing to an agent that stopped reading (issue 15, item 1).</summary>
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
}
