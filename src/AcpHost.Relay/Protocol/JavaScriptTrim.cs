namespace AcpHost.Relay.Protocol;

/// <summary>
/// A line as a reader sees it that decodes it and calls JavaScript's <c>String.prototype.trim</c> before
/// <c>JSON.parse</c>, as the ACP TypeScript SDK does with every line an agent receives. That trim removes more than
/// JSON's whitespace: a BOM (U+FEFF), NBSP, <c>\v</c>, <c>\f</c>, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
/// U+205F and U+3000.
/// </summary>
public static class JavaScriptTrim
{
    /// <summary>
    /// The line without the padding such a reader ignores, when that padding holds anything JSON's own whitespace does
    /// not (JSON readers already skip spaces, tabs, CR and LF); otherwise the same line, so every line a JSON reader
    /// accepts as it is still passes byte for byte. Empty when the line is nothing but such padding.
    /// </summary>
    public static ReadOnlyMemory<byte> Cut(ReadOnlyMemory<byte> line)
    {
        ReadOnlySpan<byte> bytes = line.Span;
        int start = 0;
        int end = bytes.Length;
        bool beyondJson = false;
        int length;
        while (start < end && (length = WhitespaceAt(bytes[start..end])) > 0)
        {
            beyondJson |= length > 1 || bytes[start] is 0x0B or 0x0C;
            start += length;
        }

        while (end > start && (length = WhitespaceEndingAt(bytes[start..end])) > 0)
        {
            beyondJson |= length > 1 || bytes[end - 1] is 0x0B or 0x0C;
            end -= length;
        }

        return beyondJson ? line[start..end] : line;
    }

    /// <summary>The length in bytes of the whitespace character that starts <paramref name="bytes"/>, or 0.</summary>
    private static int WhitespaceAt(ReadOnlySpan<byte> bytes) => bytes[0] switch
    {
        0x09 or 0x0A or 0x0B or 0x0C or 0x0D or 0x20 => 1,
        0xC2 => bytes.Length >= 2 && bytes[1] == 0xA0 ? 2 : 0,
        0xE1 or 0xE2 or 0xE3 or 0xEF => bytes.Length >= 3 && IsThreeByteSpace(bytes[0], bytes[1], bytes[2]) ? 3 : 0,
        _ => 0,
    };

    /// <summary>The length in bytes of the whitespace character that ends <paramref name="bytes"/>, or 0.</summary>
    private static int WhitespaceEndingAt(ReadOnlySpan<byte> bytes)
    {
        byte last = bytes[^1];
        if (last < 0x80)
        {
            return last is 0x09 or 0x0A or 0x0B or 0x0C or 0x0D or 0x20 ? 1 : 0;
        }

        if (bytes.Length >= 2 && bytes[^2] == 0xC2 && last == 0xA0)
        {
            return 2;
        }

        return bytes.Length >= 3 && IsThreeByteSpace(bytes[^3], bytes[^2], last) ? 3 : 0;
    }

    // U+1680 (E1 9A 80), U+2000-U+200A (E2 80 80-8A), U+2028/U+2029 (E2 80 A8/A9), U+202F (E2 80 AF), U+205F (E2 81 9F),
    // U+3000 (E3 80 80), U+FEFF (EF BB BF).
    private static bool IsThreeByteSpace(byte first, byte second, byte third) => first switch
    {
        0xE1 => second == 0x9A && third == 0x80,
        0xE2 => (second == 0x80 && third is (>= 0x80 and <= 0x8A) or 0xA8 or 0xA9 or 0xAF) || (second == 0x81 && third == 0x9F),
        0xE3 => second == 0x80 && third == 0x80,
        0xEF => second == 0xBB && third == 0xBF,
        _ => false,
    };
}
