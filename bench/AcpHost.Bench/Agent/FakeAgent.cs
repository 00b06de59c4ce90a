using System.Buffers;
using System.IO.Pipelines;
using AcpHost.Bench.Streams;

namespace AcpHost.Bench.Agent;

/// <summary>
/// The fake agent role: reads newline-delimited JSON-RPC on stdin and answers on stdout, as cheaply as possible,
/// so that what the driver measures is the connection, not the agent. Like a Node agent's event loop it runs on one
/// thread that sleeps in <c>read()</c> between requests (<see cref="BlockingStream"/>). Exits when stdin closes.
/// </summary>
internal static class FakeAgent
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Serves stdin until it closes; returns the exit code.</summary>
    public static async Task<int> RunAsync()
    {
        var input = PipeReader.Create(new BlockingStream(Console.OpenStandardInput()), new StreamPipeReaderOptions(bufferSize: BufferSize));
        var output = PipeWriter.Create(new BlockingStream(Console.OpenStandardOutput()), new StreamPipeWriterOptions(minimumBufferSize: BufferSize));
        var requests = new AgentRequestReader();
        var replies = new AgentReplies(output);

        while (true)
        {
            ReadResult result = await input.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (TryReadLine(ref buffer, out ReadOnlySequence<byte> line))
            {
                AgentRequest request = requests.Read(line);
                if (request.IsRequest)
                {
                    await replies.ReplyAsync(request, requests.Id(request));
                }
            }

            // One flush per batch of input: every reply to the lines read so far leaves in one write.
            await output.FlushAsync();
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await input.CompleteAsync();
        await output.CompleteAsync();
        return 0;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        while (buffer.PositionOf((byte)'\n') is SequencePosition end)
        {
            line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            if (!line.IsEmpty && !(line.Length == 1 && line.FirstSpan[0] == (byte)'\r'))
            {
                return true;
            }
        }

        line = default;
        return false;
    }
}
