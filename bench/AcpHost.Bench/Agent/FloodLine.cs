namespace AcpHost.Bench.Agent;

/// <summary>
/// Builds the notification a flood repeats: a <c>session/update</c> shaped like a real <c>agent_message_chunk</c>,
/// padded with text so the whole line, newline included, is the requested size. Lines come in blocks of many
/// copies, so that a flood of small lines costs the agent one copy per block rather than one per line.
/// </summary>
internal static class FloodLine
{
    // An escaped literal rather than a raw one: the prefix ends in the quote that opens the text.
    private static readonly byte[] Prefix =
        "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"sess_bench\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\""u8.ToArray();

    private static readonly byte[] Suffix = "\"}}}}\n"u8.ToArray();

    /// <summary>The shortest line this shape allows: a requested size below it gets empty text.</summary>
    public static int MinimumSize => Prefix.Length + Suffix.Length;

    /// <summary>The length of each line for a requested <paramref name="size"/>, which the shape may round up.</summary>
    public static int LineLength(int size) => Math.Max(size, MinimumSize);

    /// <summary>
    /// Builds as many lines of <see cref="LineLength"/> bytes as fit in <paramref name="blockSize"/>, and at least one.
    /// </summary>
    public static byte[] BuildBlock(int size, int blockSize)
    {
        int lineLength = LineLength(size);
        int textLength = lineLength - MinimumSize;
        var block = new byte[lineLength * Math.Max(1, blockSize / lineLength)];
        Span<byte> line = block.AsSpan(0, lineLength);
        Prefix.CopyTo(line);
        line.Slice(Prefix.Length, textLength).Fill((byte)'x');
        Suffix.CopyTo(line[(Prefix.Length + textLength)..]);
        for (int offset = lineLength; offset < block.Length; offset += lineLength)
        {
            line.CopyTo(block.AsSpan(offset));
        }

        return block;
    }
}
