using System.Buffers;
using System.IO.Pipelines;
using AcpHost.Relay.Transport;
using BenchmarkDotNet.Attributes;

namespace AcpHost.MicroBench;

/// <summary>
/// The transport's hot path without processes: frame a 64 KiB read of 200-byte lines, and pump them through a
/// <see cref="LineWriter"/> into a pipe, as the relay does for an agent's flood. Per operation: one block of lines.
/// </summary>
public class FramingBenchmarks
{
    private const int LinesPerBlock = 320;

    private readonly byte[] _block = Samples.Block(Samples.Chunk, LinesPerBlock);
    private readonly LineFramer _framer = new(64L * 1024 * 1024);

    [Benchmark(OperationsPerInvoke = LinesPerBlock)]
    public long FrameLines()
    {
        var buffer = new ReadOnlySequence<byte>(_block);
        long total = 0;
        while (_framer.TryRead(ref buffer, isCompleted: false, out ReadOnlySequence<byte> line) == FrameResult.Line)
        {
            total += line.Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = LinesPerBlock)]
    public async Task<PumpEnd> PumpAndWriteLines()
    {
        // A pipe big enough for the whole block, so the pump never waits on the reader: this is the relay's CPU cost.
        var input = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        await input.Writer.WriteAsync(_block);
        await input.Writer.CompleteAsync();
        var handler = new ForwardingHandler(new LineWriter(output.Writer));
        PumpEnd end = await LinePump.RunAsync(input.Reader, _framer, handler, CancellationToken.None);
        await output.Reader.CompleteAsync();
        return end;
    }

    [Benchmark(OperationsPerInvoke = LinesPerBlock)]
    public async ValueTask<bool> WriteLinesUnflushed()
    {
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var writer = new LineWriter(output.Writer);
        bool ok = true;
        for (int i = 0; i < LinesPerBlock; i++)
        {
            ok &= await writer.WriteLineAsync(Samples.Chunk, flush: false, CancellationToken.None);
        }

        ok &= await writer.FlushAsync(CancellationToken.None);
        await output.Reader.CompleteAsync();
        return ok;
    }

    /// <summary>Writes each line on unflushed and flushes once per read, like the relay's routers.</summary>
    private sealed class ForwardingHandler(LineWriter writer) : ILineHandler
    {
        public ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken) =>
            writer.WriteLineAsync(line, flush: false, cancellationToken);

        public ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);
    }
}
