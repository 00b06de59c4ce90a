using System.IO.Pipelines;
using System.Text;
using AcpHost.Relay.Transport;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Transport;

public class LineFramingTests
{
    private const int Timeout = 10_000;

    private static async Task<CollectingHandler> PumpAsync(IEnumerable<byte[]> chunks, long maxLineBytes = 1 << 20, PipeOptions? options = null)
    {
        var pipe = new Pipe(options ?? PipeOptions.Default);
        var handler = new CollectingHandler();
        Task<PumpEnd> pump = LinePump.RunAsync(pipe.Reader, new LineFramer(maxLineBytes), handler, CancellationToken.None);
        foreach (byte[] chunk in chunks)
        {
            await pipe.Writer.WriteAsync(chunk);
        }

        await pipe.Writer.CompleteAsync();
        Assert.Equal(PumpEnd.InputEnded, await pump.WaitAsync(TimeSpan.FromSeconds(30)));
        return handler;
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Fact(Timeout = Timeout)]
    public async Task Pump_LineSplitAcrossManyWrites_ReassemblesIt()
    {
        string line = "{\"jsonrpc\":\"2.0\",\"method\":\"a\"}";
        IEnumerable<byte[]> chunks = B(line + "\n").Select(b => new[] { b });

        CollectingHandler handler = await PumpAsync(chunks);

        Assert.Equal([line], handler.Text);
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_CrLfAndLfMixed_DropsOnlyTheCarriageReturn()
    {
        CollectingHandler handler = await PumpAsync([B("one\r\ntwo\nthree\r"), B("\nfour\r\r\n")]);

        Assert.Equal(["one", "two", "three", "four\r"], handler.Text);
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_BlankAndWhitespaceLines_AreSkipped()
    {
        CollectingHandler handler = await PumpAsync([B("\n\r\n  \t \nx\n\n\ny\n")]);

        Assert.Equal(["x", "y"], handler.Text);
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_LastLineWithoutNewline_IsStillDelivered()
    {
        CollectingHandler handler = await PumpAsync([B("a\nb")]);

        Assert.Equal(["a", "b"], handler.Text);
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_ManyLinesInOneWrite_AreHandedOverInOrderAndDrainedOnce()
    {
        string input = string.Concat(Enumerable.Range(0, 1000).Select(i => $"line {i}\n"));

        CollectingHandler handler = await PumpAsync([B(input)]);

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"line {i}"), handler.Text);
        Assert.True(handler.Drained <= 2, $"drained {handler.Drained} times for one write");
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_SixteenMebibyteLineInSmallWrites_ArrivesWhole()
    {
        byte[] big = new byte[16 * 1024 * 1024];
        new Random(7).NextBytes(big);
        for (int i = 0; i < big.Length; i++)
        {
            big[i] = (byte)('a' + (big[i] % 26));
        }

        IEnumerable<byte[]> chunks = big.Chunk(4096).Append(B("\nafter\n"));

        CollectingHandler handler = await PumpAsync(chunks, maxLineBytes: 32L * 1024 * 1024);

        Assert.Equal(2, handler.Lines.Count);
        Assert.True(big.AsSpan().SequenceEqual(handler.Lines[0]));
        Assert.Equal("after", handler.Text.Last());
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_LineOverTheLimit_IsReportedOnceAndDroppedWithoutStoppingTheStream()
    {
        byte[] huge = Enumerable.Repeat((byte)'x', 10_000).ToArray();

        CollectingHandler handler = await PumpAsync([B("before\n"), .. huge.Chunk(1000), B("\nafter\n")], maxLineBytes: 4096);

        Assert.Equal(["before", "after"], handler.Text);
        Assert.Equal(1, handler.Oversized);
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_LineOverTheLimitInOneWrite_IsReportedOnce()
    {
        string huge = new('y', 5000);

        CollectingHandler handler = await PumpAsync([B($"a\n{huge}\nb\n")], maxLineBytes: 4096);

        Assert.Equal(["a", "b"], handler.Text);
        Assert.Equal(1, handler.Oversized);
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_InvalidUtf8_IsFramedAsBytesUntouched()
    {
        byte[] line = [0x7B, 0xFF, 0xFE, 0x7D];

        CollectingHandler handler = await PumpAsync([[.. line, (byte)'\n']]);

        Assert.Equal(line, Assert.Single(handler.Lines));
    }

    [Fact(Timeout = Timeout)]
    public async Task Pump_LineSpanningPipeSegments_IsHandedOverContiguous()
    {
        // Tiny segments force the line to span several of them; the handler must still see one span.
        var options = new PipeOptions(minimumSegmentSize: 16);
        string line = new string('z', 200);

        CollectingHandler handler = await PumpAsync([B(line[..50]), B(line[50..120]), B(line[120..] + "\n")], options: options);

        Assert.Equal([line], handler.Text);
    }
}
