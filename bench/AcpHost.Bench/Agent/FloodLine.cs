namespace AcpHost.Bench.Agent;

/// <summary>
/// Builds the notification a flood repeats: a <c>session/update</c> shaped like a real <c>agent_message_chunk</c>,
/// padded with text so the whole line, newline included, is the requested size. The text starts with the line's
/// number in the flood (1, 2, …, zero-padded to <see cref="SequenceDigits"/> digits, so every line keeps its size),
/// which lets a reader check that nothing was dropped or reordered. Lines come in blocks of many copies, so that a
/// flood of small lines costs the agent one copy per block and a stamp per line rather than a build per line.
/// </summary>
internal static class FloodLine
{
    /// <summary>How many digits the sequence number at the start of the text has.</summary>
    public const int SequenceDigits = 10;

    // An escaped literal rather than a raw one: the prefix ends in the quote that opens the text.
    private static readonly byte[] Prefix =
        "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"sess_bench\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\""u8.ToArray();

    private static readonly byte[] Suffix = "\"}}}}\n"u8.ToArray();

    /// <summary>The shortest line this shape allows: a requested size below it gets just the sequence number.</summary>
    public static int MinimumSize => Prefix.Length + SequenceDigits + Suffix.Length;

    /// <summary>Where, in each line, the sequence number starts.</summary>
    public static int SequenceOffset => Prefix.Length;

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
        line.Slice(Prefix.Length, SequenceDigits).Fill((byte)'0');
        line.Slice(Prefix.Length + SequenceDigits, textLength).Fill((byte)'x');
        Suffix.CopyTo(line[(Prefix.Length + SequenceDigits + textLength)..]);
        for (int offset = lineLength; offset < block.Length; offset += lineLength)
        {
            line.CopyTo(block.AsSpan(offset));
        }

        return block;
    }

    /// <summary>
    /// Numbers the first <paramref name="lines"/> lines of <paramref name="block"/> <paramref name="first"/>,
    /// <paramref name="first"/>+1, …; numbers past 10^10 wrap, which no flood reaches.
    /// </summary>
    public static void Stamp(Span<byte> block, int lineLength, long lines, long first)
    {
        for (long i = 0; i < lines; i++)
        {
            Span<byte> digits = block.Slice((int)(i * lineLength) + SequenceOffset, SequenceDigits);
            long number = (first + i) % 10_000_000_000;
            for (int d = SequenceDigits - 1; d >= 0; d--)
            {
                digits[d] = (byte)('0' + (number % 10));
                number /= 10;
            }
        }
    }
}
