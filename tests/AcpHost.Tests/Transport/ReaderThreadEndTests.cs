using System.IO.Pipelines;
using System.IO.Pipes;
using AcpHost.Relay.Transport;

namespace AcpHost.Tests.Transport;

/// <summary>The end of a reader thread's input is told apart from reading it.</summary>
public class ReaderThreadEndTests
{
    private const int Timeout = 20_000;

    [Fact(Timeout = Timeout)]
    public async Task Ended_WriterClosesWhileTheThreadIsPausedByBackpressure_IsToldByTheHangUpProbe()
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        using var source = new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle);
        PipeReader reader = ReaderThread.Start(source, "test reader", hangUp: HangUpProbe.For(source.SafePipeHandle));

        // Nobody reads the pipe reader: the thread pauses once ReaderThread.PauseThreshold bytes wait, and what is
        // written after that stays in the kernel's pipe, unread, when the writer closes.
        byte[] data = new byte[ReaderThread.PauseThreshold + (32 * 1024)];
        await writer.WriteAsync(data);
        writer.DisposeLocalCopyOfClientHandle();
        await writer.DisposeAsync();

        await ((IInputEnd)reader).Ended.WaitAsync(TimeSpan.FromSeconds(30));
        ReadResult first = await reader.ReadAsync();
        Assert.False(first.IsCompleted);
        await reader.CompleteAsync();
    }
}
