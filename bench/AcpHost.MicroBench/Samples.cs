using System.Text;

namespace AcpHost.MicroBench;

/// <summary>The lines the benchmarks feed through the hot path, shaped like an agent's and an editor's.</summary>
internal static class Samples
{
    /// <summary>A 200-byte <c>agent_message_chunk</c>, the line an agent streams thousands of per turn (no LF).</summary>
    public static readonly byte[] Chunk = Pad(
        """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"sess_bench","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"{0}"}}}}""",
        200);

    /// <summary>A <c>session/prompt</c> request with an id and a short prompt.</summary>
    public static readonly byte[] Prompt = Encoding.UTF8.GetBytes(
        """{"jsonrpc":"2.0","id":42,"method":"session/prompt","params":{"sessionId":"sess_bench","prompt":[{"type":"text","text":"Explain this function, and suggest a test for it."}]}}""");

    /// <summary>A response with a string id and a nested result.</summary>
    public static readonly byte[] Response = Encoding.UTF8.GetBytes(
        """{"jsonrpc":"2.0","id":"b17","result":{"stopReason":"end_turn","_meta":{"usage":{"inputTokens":1200,"outputTokens":345,"cached":true}}}}""");

    /// <summary>A 64 KiB tool result: one long string with escapes here and there.</summary>
    public static readonly byte[] Large = Pad(
        """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"sess_bench","update":{"sessionUpdate":"tool_call_update","toolCallId":"t1","content":[{"type":"text","text":"{0}"}]}}}""",
        64 * 1024);

    /// <summary><paramref name="count"/> copies of <paramref name="line"/>, each ended by LF.</summary>
    public static byte[] Block(byte[] line, int count)
    {
        var block = new byte[(line.Length + 1) * count];
        for (int i = 0; i < count; i++)
        {
            line.CopyTo(block, i * (line.Length + 1));
            block[(i * (line.Length + 1)) + line.Length] = (byte)'\n';
        }

        return block;
    }

    private static byte[] Pad(string template, int size)
    {
        int textLength = size - (template.Length - 3);
        var text = new StringBuilder(textLength);
        for (int i = 0; text.Length < textLength; i++)
        {
            text.Append(i % 40 == 39 && text.Length + 2 <= textLength ? "\\n" : "x");
        }

        return Encoding.UTF8.GetBytes(template.Replace("{0}", text.ToString(), StringComparison.Ordinal));
    }
}
