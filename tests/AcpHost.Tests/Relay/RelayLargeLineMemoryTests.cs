using System.IO.Pipelines;
using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AcpHost.Tests.Relay;

/// <summary>
/// The longest line an ACP agent reads (32 MiB, its SDK's limit) passes from the client, and the relay does not keep one
/// copy per line.
/// </summary>
[Collection(HeapMeasurementCollection.Name)]
public class RelayLargeLineMemoryTests
{
    private const long MiB = 1024 * 1024;

    [Fact(Timeout = 120_000)]
    public async Task ClientLinesOfTheAgentsLimit_PassWholeAndNothingAccumulates()
    {
        // Built by hand rather than with RelayHarness: its logger keeps every Trace line, bodies included, and so
        // would itself hold each 32 MiB message. A production logger drops Trace unless asked for it.
        var clientIn = new Pipe();
        var clientOut = new Pipe();
        var agent = new FakeAgentConnection();
        var relay = new JsonRpcRelay(clientIn.Reader, clientOut.Writer, agent, new RelaySetup { Options = new RelayOptions(), Dialect = AcpDialect.Instance, Interceptors = [], Log = NullLogger<JsonRpcRelay>.Instance });
        Task<RelayOutcome> run = relay.RunAsync(CancellationToken.None);
        // Exactly as long as the agent reads, without the LF.
        byte[] line = BigLines.Notification((int)AcpDialect.AgentMaxLineBytes - (BigLines.Notification(0).Length - 1));
        long baseline = HeapAfterFullCollection();

        var retained = new long[4];
        for (int round = 0; round < retained.Length; round++)
        {
            await PassOneAsync(clientIn.Writer, agent, line);
            retained[round] = HeapAfterFullCollection() - baseline;
        }

        // Nothing accumulates per line: from the second line on, the heap stays where it was. What remains are
        // pooled buffers (ArrayPool<byte>.Shared) big enough for such a line, reused by the next one. Measured after
        // the fix (lines over 1 MiB kept out of the shared array pool, large writes copied in pieces), with 64 MiB
        // lines: 0, 64, 64, 64 MiB; before it 128, 320, 320, 320 MiB stayed in the pool.
        string figures = string.Join(", ", retained.Select(r => r / MiB)) + " MiB over the baseline";
        Assert.True(retained[^1] - retained[1] < 16 * MiB, $"heap grew with each 32 MiB line: {figures}");
        Assert.True(retained[^1] < 64 * MiB, $"more than one line's worth stayed on the heap: {figures}");

        await clientIn.Writer.CompleteAsync();
        Assert.Equal(RelayEnd.ClientClosed, (await run.WaitAsync(TimeSpan.FromSeconds(20))).End);
    }

    private static async Task PassOneAsync(PipeWriter client, FakeAgentConnection agent, byte[] line)
    {
        Task writing = client.WriteAsync(line).AsTask();
        byte[]? received = await agent.ReadFromRelay.ReadLineBytesAsync(TimeSpan.FromSeconds(45));
        await writing;
        Assert.NotNull(received);
        Assert.Equal(line.Length - 1, received.Length);
        Assert.True(received.AsSpan().SequenceEqual(line.AsSpan(0, line.Length - 1)));
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
