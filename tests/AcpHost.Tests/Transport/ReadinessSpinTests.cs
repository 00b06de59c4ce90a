using System.Diagnostics;
using System.IO.Pipes;
using AcpHost.Relay.Transport;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Transport;

/// <summary>
/// The bounded wait before a blocking read, on real kernel pipes (the wait polls a descriptor). Each blocking part
/// runs on the pool, so the test's timeout can still end it.
/// </summary>
public class ReadinessSpinTests
{
    private const int Timeout = 10_000;

    private static (AnonymousPipeServerStream Writer, AnonymousPipeClientStream Reader) KernelPipe()
    {
        var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        var reader = new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle);
        return (writer, reader);
    }

    // The host and its tests run on Linux, where the spin exists (elsewhere For gives null and readers block at once).
    private static ReadinessSpin Spin(AnonymousPipeClientStream reader, TimeSpan limit)
    {
        ReadinessSpin? spin = ReadinessSpin.For(reader, limit);
        Assert.NotNull(spin);
        Assert.Equal(limit, spin.Limit);
        return spin;
    }

    [Fact(Timeout = Timeout)]
    public async Task For_ZeroLimitOrAStreamThatIsNoPipe_GivesNoSpin()
    {
        (AnonymousPipeServerStream writer, AnonymousPipeClientStream reader) = KernelPipe();
        using (writer)
        using (reader)
        {
            Assert.Null(ReadinessSpin.For(reader, TimeSpan.Zero));
            Assert.Null(ReadinessSpin.For(new MemoryStream(), TimeSpan.FromMilliseconds(1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => ReadinessSpin.For(reader, TimeSpan.FromTicks(-1)));
        }

        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Wait_DataAlreadyThere_ReturnsTrueAtOnce()
    {
        (AnonymousPipeServerStream writer, AnonymousPipeClientStream reader) = KernelPipe();
        using (writer)
        using (reader)
        {
            ReadinessSpin spin = Spin(reader, TimeSpan.FromSeconds(5));
            writer.Write("x\n"u8);

            var clock = Stopwatch.StartNew();
            Assert.True(await Task.Run(spin.Wait));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Wait_NothingArrives_GivesUpAfterItsLimit()
    {
        (AnonymousPipeServerStream writer, AnonymousPipeClientStream reader) = KernelPipe();
        using (writer)
        using (reader)
        {
            ReadinessSpin spin = Spin(reader, TimeSpan.FromMilliseconds(30));

            var clock = Stopwatch.StartNew();
            Assert.False(await Task.Run(spin.Wait));
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(5));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Wait_DataArrivesDuringTheWait_ReturnsTrueBeforeTheLimit()
    {
        (AnonymousPipeServerStream writer, AnonymousPipeClientStream reader) = KernelPipe();
        using (writer)
        using (reader)
        {
            ReadinessSpin spin = Spin(reader, TimeSpan.FromSeconds(8));
            var clock = Stopwatch.StartNew();
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<bool> waiting = Task.Factory.StartNew(
                () =>
                {
                    started.SetResult();
                    return spin.Wait();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

            // The wait must not return on an empty pipe; watched for a while, so the data below arrives during it.
            Assert.True(await Conditions.StaysPendingAsync(waiting, TimeSpan.FromMilliseconds(50)), "the wait returned with nothing to read");
            writer.Write("x\n"u8);

            Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(7)));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(7), $"took {clock.Elapsed}");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Wait_WriterClosed_ReturnsTrueSoTheReadCanSeeTheEnd()
    {
        (AnonymousPipeServerStream writer, AnonymousPipeClientStream reader) = KernelPipe();
        using (reader)
        {
            ReadinessSpin spin = Spin(reader, TimeSpan.FromSeconds(5));
            writer.Dispose();

            Assert.True(await Task.Run(spin.Wait));
            Assert.Equal(0, reader.Read(new byte[16]));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Wait_ReaderDisposed_ReturnsInsteadOfPollingAStaleDescriptor()
    {
        (AnonymousPipeServerStream writer, AnonymousPipeClientStream reader) = KernelPipe();
        using (writer)
        {
            ReadinessSpin spin = Spin(reader, TimeSpan.FromSeconds(5));
            reader.Dispose();

            var clock = Stopwatch.StartNew();
            Assert.True(await Task.Run(spin.Wait));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        }
    }
}
