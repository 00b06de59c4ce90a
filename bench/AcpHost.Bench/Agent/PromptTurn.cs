using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace AcpHost.Bench.Agent;

/// <summary>
/// The lines of one <c>session/prompt</c> turn, shaped like the real agent's: <see cref="TextChunks"/>
/// <c>agent_message_chunk</c> notifications of streamed text, one <c>usage_update</c> with the context fill and cost,
/// then the response with <c>stopReason: end_turn</c> and the turn's usage. Every turn reports a different fill, as a
/// real conversation does, but stays far below any compaction mark (a tenth of the window at most).
/// </summary>
internal sealed class PromptTurn
{
    /// <summary>The text chunks streamed per turn.</summary>
    public const int TextChunks = 8;

    /// <summary>The session every turn belongs to: the one <c>session/new</c> answers with.</summary>
    public const string SessionId = "sess_bench";

    private const long ContextWindow = 1_000_000;

    private static readonly byte[] Chunk = Encoding.UTF8.GetBytes(
        "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + SessionId
        + "\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":"
        + "\"Here is part of the answer, streamed the way the model writes it: a sentence or two per chunk. \"}}}}\n");

    private static readonly byte[] UsageStart = Encoding.UTF8.GetBytes(
        "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + SessionId
        + "\",\"update\":{\"sessionUpdate\":\"usage_update\",\"used\":");

    private static readonly byte[] UsageSize = Encoding.UTF8.GetBytes(",\"size\":" + ContextWindow + ",\"cost\":{\"amount\":");
    private static readonly byte[] UsageEnd = "\"currency\":\"USD\"}}}}\n"u8.ToArray();
    private static readonly byte[] ResponseStart = "{\"jsonrpc\":\"2.0\",\"id\":"u8.ToArray();
    private static readonly byte[] ResultStart = ",\"result\":{\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":"u8.ToArray();
    private static readonly byte[] OutputTokens = ",\"outputTokens\":800,\"totalTokens\":"u8.ToArray();
    private static readonly byte[] ResultEnd = "}}}\n"u8.ToArray();

    private long _turn;

    /// <summary>Writes one turn's notifications and its response to <paramref name="output"/> (not flushed).</summary>
    public void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> id)
    {
        long turn = ++_turn;
        for (int i = 0; i < TextChunks; i++)
        {
            output.Write(Chunk);
        }

        long used = 20_000 + (turn * 97 % (ContextWindow / 10 - 20_000));
        output.Write(UsageStart);
        WriteNumber(output, used);
        output.Write(UsageSize);
        WriteNumber(output, turn * 125);
        output.Write("e-4,"u8);
        output.Write(UsageEnd);

        output.Write(ResponseStart);
        output.Write(id);
        output.Write(ResultStart);
        WriteNumber(output, used - 800);
        output.Write(OutputTokens);
        WriteNumber(output, used);
        output.Write(ResultEnd);
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        Span<byte> span = output.GetSpan(20);
        if (!Utf8Formatter.TryFormat(value, span, out int written))
        {
            throw new InvalidOperationException("a number did not fit its buffer");
        }

        output.Advance(written);
    }
}
