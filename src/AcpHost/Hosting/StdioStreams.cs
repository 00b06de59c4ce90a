using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;
using AcpHost.Relay.Transport;

namespace AcpHost.Hosting;

/// <summary>
/// The host's own stdin and stdout as pipes: the client's side of the relay. Opening them also points
/// <c>Console.Out</c> at stderr, so a stray write from any library can never corrupt the protocol stream.
/// </summary>
internal sealed class StdioStreams
{
    private const int BufferSize = 64 * 1024;

    private StdioStreams(PipeReader input, PipeWriter output)
    {
        Input = input;
        Output = output;
    }

    /// <summary>The client's messages.</summary>
    public PipeReader Input { get; }

    /// <summary>Where messages for the client go.</summary>
    public PipeWriter Output { get; }

    /// <summary>
    /// Takes over the process's stdin and stdout. Call once, before anything logs. <paramref name="readSpin"/> is how
    /// long the stdin reader waits awake before each blocking read (<see cref="ReadinessSpin"/>; zero: none).
    /// </summary>
    public static StdioStreams Open(TimeSpan readSpin)
    {
        Stream stdin = Console.OpenStandardInput();
        Stream stdout = OpenStandardOutput();
        Console.SetOut(Console.Error);

        // When the editor connects through pipes, bigger kernel buffers mean fewer wake-ups per flood (PipeCapacity).
        PipeCapacity.TryGrow(0);
        PipeCapacity.TryGrow(1);
        return new StdioStreams(
            ReaderThread.Start(stdin, "acphost client stdin", ReadinessSpin.For(new SafeFileHandle(0, ownsHandle: false), readSpin), HangUpProbe.For(new SafeFileHandle(0, ownsHandle: false))),
            PipeWriter.Create(new BlockingWriteStream(stdout), new StreamPipeWriterOptions(minimumBufferSize: BufferSize)));
    }

    /// <summary>
    /// Fd 1 as a plain unbuffered file stream, not the console's stream, for two reasons.
    /// The console's stream ignores EPIPE, so a client that closed its end of stdout was never noticed. And it writes
    /// under a lock on <c>Console.Out</c>, the very writer the stderr log goes through: while the client did not read,
    /// the blocked write held that lock and every log line waited on the protocol pipe.
    /// </summary>
    private static Stream OpenStandardOutput()
    {
        if (OperatingSystem.IsWindows())
        {
            return Console.OpenStandardOutput();
        }

        try
        {
            return new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
        {
            // Fd 1 is closed or of a kind a file stream refuses; the console's stream copes with anything.
            return Console.OpenStandardOutput();
        }
    }
}
