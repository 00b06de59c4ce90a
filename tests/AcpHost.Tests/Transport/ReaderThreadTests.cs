using System.Buffers;
using System.IO.Pipelines;
using System.IO.Pipes;
using AcpHost.Relay.Transport;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Transport;

/// <summary>The dedicated reading thread under each side of the relay, on a real kernel pipe, with and without its spin.</summary>
public class ReaderThreadTests
{
    private const int Timeout = 20_000;

    public static TheoryData<int> Spins => new() { 0, 50, 1000 };

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Spins))]
    public async Task Start_WriterSendsInBursts_ReaderGetsEveryByteInOrderThenTheEnd(int spinMicroseconds)
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        using var source = new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle);
        PipeReader reader = ReaderThread.Start(source, "test reader", ReadinessSpin.For(source, TimeSpan.FromMicroseconds(spinMicroseconds)));

        // Bursts of varying size with pauses between some, so reads happen both after a spin that found data and
        // after one that gave up and blocked.
        var random = new Random(7);
        byte[] expected = new byte[3 * 1024 * 1024 + 17];
        random.NextBytes(expected);
        Task writing = Task.Run(async () =>
        {
            for (int offset = 0, burst = 0; offset < expected.Length; burst++)
            {
                int size = Math.Min(expected.Length - offset, random.Next(1, 200_000));
                writer.Write(expected, offset, size);
                offset += size;
                if (burst % 5 == 0)
                {
                    // Not a wait: a pause in the traffic, so the reader's spin sometimes gives up and blocks.
                    await Task.Delay(2);
                }
            }

            writer.Dispose();
        });

        using var received = new MemoryStream();
        while (true)
        {
            ReadResult result = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await writing;
        Assert.Equal(expected.Length, received.Length);
        Assert.True(expected.AsSpan().SequenceEqual(received.ToArray()), "the bytes differ");
    }

    [Fact(Timeout = Timeout)]
    public async Task Start_NothingToRead_ReaderWaitsWithoutEnding()
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        using var source = new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle);
        PipeReader reader = ReaderThread.Start(source, "test reader", ReadinessSpin.For(source, TimeSpan.FromMicroseconds(50)));

        Task<ReadResult> read = reader.ReadAsync().AsTask();

        // Not ending is watched for a while: a reader that took an empty pipe for its end would complete at once.
        Assert.True(await Conditions.StaysPendingAsync(read, TimeSpan.FromMilliseconds(100)), "the read completed with nothing written");

        writer.Write("{}\n"u8);
        ReadResult result = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("{}\n"u8.ToArray(), result.Buffer.ToArray());
        Assert.False(result.IsCompleted);

        // The write end closes first, and the reader thread, back in its blocking read, sees the end. The read end
        // closed first would hang the test: a pipe's stream waits, as it closes, for a read in progress on another
        // thread, and that read would wait for the writer disposed after it.
        writer.Dispose();
        await ((IInputEnd)reader).Ended.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
