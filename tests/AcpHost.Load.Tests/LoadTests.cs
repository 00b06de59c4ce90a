using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using AcpHost.Load.Tests.Support;

namespace AcpHost.Load.Tests;

/// <summary>
/// The real acphost process between the benchmark's fake agent, which floods <c>session/update</c> lines as fast as
/// the pipes take them, and a client that reads slowly: the host must hold the agent back instead of buffering, so its
/// memory stays flat while every line still arrives, once, in order.
/// </summary>
public sealed class LoadTests : IDisposable
{
    private const long Count = 200_000;
    private const int LineSize = 1024; // newline included
    private const long PeakLimitKiB = 150_000_000 / 1024; // 150 MB
    private const long GrowthLimitKiB = 16 * 1024;

    private static readonly byte[] TextMarker = "\"text\":\""u8.ToArray();
    private static readonly byte[] FloodAnswer = """{"jsonrpc":"2.0","id":1,"result":{}}"""u8.ToArray();

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-load-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact(Timeout = 240_000)]
    public async Task Flood_ClientReadsSlowly_HostMemoryStaysBoundedAndEveryLineArrivesInOrder()
    {
        using Process host = Process.Start(Programs.HostWithFakeAgent(_dataDir))!;
        Task<string> stderr = host.StandardError.ReadToEndAsync();
        try
        {
            Stream toHost = host.StandardInput.BaseStream;
            await toHost.WriteAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1}}""" + "\n"));
            await toHost.WriteAsync(Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":1,"method":"bench/flood","params":{"count":{{{Count}}},"size":{{{LineSize}}}}}""" + "\n"));
            await toHost.FlushAsync();

            var reader = new SlowFloodReader(PipeReader.Create(host.StandardOutput.BaseStream, new StreamPipeReaderOptions(bufferSize: 32 * 1024)));
            using var sampling = new CancellationTokenSource();
            Task<ProcessMemory?> midFlood = SampleAtHalfwayAsync(host.Id, reader, sampling.Token);

            await reader.ReadFloodAsync().WaitAsync(TimeSpan.FromSeconds(180));
            ProcessMemory end = ProcessMemory.Read(host.Id) ?? throw new InvalidOperationException("acphost exited during the flood");
            await sampling.CancelAsync();
            ProcessMemory mid = await midFlood ?? throw new InvalidOperationException("no sample was taken halfway");

            // Nothing dropped, nothing reordered, nothing changed in size.
            Assert.Equal(Count, reader.Lines);
            Assert.True(reader.SawAnswer, "the flood's response never came");

            string figures = $"halfway: {mid}; end: {end}; reader took {reader.Elapsed.TotalSeconds:F1} s for {Count * LineSize / 1e6:F0} MB";
            Assert.True(end.PeakRssKiB <= PeakLimitKiB, $"acphost peaked above 150 MB: {figures}");
            Assert.True(end.RssKiB - mid.RssKiB <= GrowthLimitKiB, $"acphost grew by more than {GrowthLimitKiB / 1024} MiB between halfway and the end: {figures}");
            Console.WriteLine($"acphost under a slow-read flood: {figures}");

            host.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.WaitForExitAsync(exit.Token);
            Assert.True(host.ExitCode == 0, $"acphost exited {host.ExitCode}: {await stderr}");
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<ProcessMemory?> SampleAtHalfwayAsync(int processId, SlowFloodReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (Interlocked.Read(ref reader.LinesRead) < Count / 2)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return ProcessMemory.Read(processId);
    }

    /// <summary>
    /// Reads the host's stdout about 32 KiB at a time with a pause after each read (a few MB/s at most), checking
    /// that the flood's lines arrive whole and numbered 1, 2, 3, …, then the flood's own response.
    /// </summary>
    private sealed class SlowFloodReader(PipeReader input)
    {
        public long LinesRead;

        public long Lines => Interlocked.Read(ref LinesRead);

        public bool SawAnswer { get; private set; }

        public TimeSpan Elapsed { get; private set; }

        public async Task ReadFloodAsync()
        {
            var clock = Stopwatch.StartNew();
            while (!SawAnswer)
            {
                ReadResult result = await input.ReadAsync();
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is SequencePosition end)
                {
                    Check(buffer.Slice(0, end).ToArray());
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                Assert.False(result.IsCompleted && !SawAnswer, "acphost closed its stdout mid-flood");
                await Task.Delay(2);
            }

            Elapsed = clock.Elapsed;
        }

        private void Check(byte[] line)
        {
            if (line.AsSpan().StartsWith("""{"jsonrpc":"2.0","id":0,"result":"""u8))
            {
                return; // the answer to initialize
            }

            if (line.AsSpan().SequenceEqual(FloodAnswer))
            {
                SawAnswer = true;
                return;
            }

            long expected = Lines + 1;
            Assert.True(line.Length == LineSize - 1, $"line {expected} is {line.Length} bytes long");
            int text = line.AsSpan().IndexOf(TextMarker) + TextMarker.Length;
            Assert.True(Utf8Parser.TryParse(line.AsSpan(text, 10), out long number, out int consumed) && consumed == 10, $"line {expected} carries no sequence number");
            Assert.Equal(expected, number);
            Interlocked.Increment(ref LinesRead);
        }
    }
}
