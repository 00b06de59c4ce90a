using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace AcpHost.Bench.Agent;

/// <summary>
/// Writes the fake agent's replies into its output pipe. Replies are only buffered here; the caller flushes once per
/// batch of input, so a burst of pings costs one write, and a flood flushes a block of about
/// <see cref="FlushThreshold"/> bytes at a time so the reader's backpressure paces it.
/// </summary>
internal sealed class AgentReplies(PipeWriter output)
{
    // The size of a Linux pipe's buffer: one flush fills it.
    private const int FlushThreshold = 64 * 1024;

    private static readonly byte[] ResponseStart = """{"jsonrpc":"2.0","id":"""u8.ToArray();
    private static readonly byte[] EmptyResultEnd = ""","result":{}}"""u8.ToArray();
    private static readonly byte[] InitializeResultEnd =
        ""","result":{"protocolVersion":1,"agentCapabilities":{"loadSession":false},"authMethods":[],"agentInfo":{"name":"acphost-bench","version":"1.0.0"}}}"""u8.ToArray();
    private static readonly byte[] MethodNotFoundEnd =
        ""","error":{"code":-32601,"message":"Method not found"}}"""u8.ToArray();

    private static readonly byte[] SessionNewResultEnd =
        Encoding.UTF8.GetBytes(",\"result\":{\"sessionId\":\"" + PromptTurn.SessionId + "\"}}");

    private readonly PromptTurn _turn = new();
    private byte[] _floodBlock = [];
    private int _floodLineLength;

    /// <summary>Answers a request whose raw id is <paramref name="id"/>; a flood is answered after its notifications.</summary>
    public ValueTask ReplyAsync(AgentRequest request, ReadOnlySpan<byte> id)
    {
        switch (request.Method)
        {
            case AgentMethod.Initialize:
                WriteResponse(id, InitializeResultEnd);
                return ValueTask.CompletedTask;
            case AgentMethod.Ping:
                WriteResponse(id, EmptyResultEnd);
                return ValueTask.CompletedTask;
            case AgentMethod.SessionNew:
                WriteResponse(id, SessionNewResultEnd);
                return ValueTask.CompletedTask;
            case AgentMethod.Prompt:
                _turn.Write(output, id);
                return ValueTask.CompletedTask;
            case AgentMethod.Flood:
                // The id must outlive the awaits of the flood, and a span cannot: copy it, once per flood.
                return FloodAsync(request.Count, request.Size, id.ToArray());
            default:
                WriteResponse(id, MethodNotFoundEnd);
                return ValueTask.CompletedTask;
        }
    }

    private async ValueTask FloodAsync(long count, int size, byte[] id)
    {
        int lineLength = FloodLine.LineLength(size);
        if (_floodLineLength != lineLength)
        {
            _floodBlock = FloodLine.BuildBlock(size, FlushThreshold);
            _floodLineLength = lineLength;
        }

        // Whole blocks first, each numbered and flushed so the reader's backpressure paces the flood, then the
        // remaining lines. The pipe copies the block on Write, so it can be numbered again for the next one.
        long linesPerBlock = _floodBlock.Length / lineLength;
        long remaining = count;
        long next = 1;
        for (; remaining >= linesPerBlock; remaining -= linesPerBlock, next += linesPerBlock)
        {
            FloodLine.Stamp(_floodBlock, lineLength, linesPerBlock, next);
            output.Write(_floodBlock);
            await output.FlushAsync();
        }

        FloodLine.Stamp(_floodBlock, lineLength, remaining, next);
        output.Write(_floodBlock.AsSpan(0, (int)remaining * lineLength));
        WriteResponse(id, EmptyResultEnd);
    }

    private void WriteResponse(ReadOnlySpan<byte> id, ReadOnlySpan<byte> end)
    {
        int length = ResponseStart.Length + id.Length + end.Length + 1;
        Span<byte> span = output.GetSpan(length);
        ResponseStart.CopyTo(span);
        id.CopyTo(span[ResponseStart.Length..]);
        end.CopyTo(span[(ResponseStart.Length + id.Length)..]);
        span[length - 1] = (byte)'\n';
        output.Advance(length);
    }
}
