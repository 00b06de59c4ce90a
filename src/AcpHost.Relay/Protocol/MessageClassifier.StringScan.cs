using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// The string scan under the text-chunk template (<c>MessageClassifier.TextChunk.cs</c>): it proves a JSON string
/// well-formed exactly as <see cref="System.Text.Json.Utf8JsonReader"/> would, so the template never accepts a line
/// the reader would refuse.
/// </summary>
public static partial class MessageClassifier
{
    /// <summary>
    /// Scans the string whose opening quote is at <paramref name="i"/>; returns the index of its closing quote, or -1
    /// when it is not a valid JSON string. Escapes are checked as the reader checks them (\u needs four hex digits).
    /// </summary>
    private static int ScanString(ReadOnlySpan<byte> line, int i, out bool escaped)
    {
        escaped = false;
        if (i >= line.Length || line[i] != (byte)'"')
        {
            return -1;
        }

        i++;
        while (true)
        {
            i = FindStringStop(line, i);
            if (i < 0)
            {
                return -1;
            }

            byte b = line[i];
            if (b == (byte)'"')
            {
                return i;
            }

            if (b != (byte)'\\' || i + 1 >= line.Length)
            {
                return -1; // a control character, or a backslash that ends the line
            }

            escaped = true;
            switch (line[i + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    i += 2;
                    break;
                case (byte)'u' when i + 6 <= line.Length && IsHex(line[i + 2]) && IsHex(line[i + 3]) && IsHex(line[i + 4]) && IsHex(line[i + 5]):
                    i += 6;
                    break;
                default:
                    return -1;
            }
        }
    }

    /// <summary>The index of the first quote, backslash or control character at or after <paramref name="i"/>, or -1.</summary>
    /// <remarks>
    /// Hand-vectorised rather than a <c>SearchValues</c> search: most strings are short names and values, and
    /// one 32-byte compare finds their end without the set-up of a general search.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindStringStop(ReadOnlySpan<byte> line, int i)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte start = ref MemoryMarshal.GetReference(line);
            Vector256<byte> quote = Vector256.Create((byte)'"');
            Vector256<byte> backslash = Vector256.Create((byte)'\\');
            Vector256<byte> space = Vector256.Create((byte)' ');
            for (; i <= line.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                Vector256<byte> chunk = Vector256.LoadUnsafe(ref start, (nuint)i);
                uint stops = (Vector256.Equals(chunk, quote) | Vector256.Equals(chunk, backslash) | Vector256.LessThan(chunk, space))
                    .ExtractMostSignificantBits();
                if (stops != 0)
                {
                    return i + BitOperations.TrailingZeroCount(stops);
                }
            }
        }

        for (; i < line.Length; i++)
        {
            byte b = line[i];
            if (b == (byte)'"' || b == (byte)'\\' || b < 0x20)
            {
                return i;
            }
        }

        return -1;
    }

    /// <remarks>Peers almost never end a line with whitespace: the common case is one compare, inlined.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> line, int i) =>
        (uint)i < (uint)line.Length && line[i] > (byte)' ' ? i : SkipWhitespaceRun(line, i);

    private static int SkipWhitespaceRun(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);
}
