using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// The validating token scanners under <see cref="MessageClassifier"/>'s fast paths (the plain-line scan and the
/// text-chunk template): each proves its token well-formed JSON exactly as <see cref="System.Text.Json.Utf8JsonReader"/>
/// would (RFC 8259, no comments, no trailing commas) and returns the index after it, or -1 when the token is not valid
/// or lies outside what the fast paths take on (nesting of <see cref="PlainMaxDepth"/> levels or more); the reader
/// then decides.
/// </summary>
public static partial class MessageClassifier
{
    private const int PlainMaxDepth = 64;

    /// <summary>Skips one JSON value starting at <paramref name="i"/>; returns the index after it, or -1.</summary>
    private static int SkipValue(ReadOnlySpan<byte> line, int i, int depth)
    {
        if (i >= line.Length)
        {
            return -1;
        }

        switch (line[i])
        {
            case (byte)'"':
                int end = ScanString(line, i, out _);
                return end < 0 ? -1 : end + 1;
            case (byte)'{':
                return depth < PlainMaxDepth ? SkipObject(line, i, depth + 1) : -1;
            case (byte)'[':
                return depth < PlainMaxDepth ? SkipArray(line, i, depth + 1) : -1;
            case (byte)'t':
                return line[i..].StartsWith("true"u8) ? i + 4 : -1;
            case (byte)'f':
                return line[i..].StartsWith("false"u8) ? i + 5 : -1;
            case (byte)'n':
                return line[i..].StartsWith("null"u8) ? i + 4 : -1;
            default:
                return ScanNumber(line, i, out _);
        }
    }

    private static int SkipObject(ReadOnlySpan<byte> line, int i, int depth)
    {
        i = SkipWhitespace(line, i + 1);
        if (i < line.Length && line[i] == (byte)'}')
        {
            return i + 1;
        }

        while (true)
        {
            int keyEnd = ScanString(line, i, out _);
            if (keyEnd < 0)
            {
                return -1;
            }

            i = SkipWhitespace(line, keyEnd + 1);
            if (i >= line.Length || line[i] != (byte)':')
            {
                return -1;
            }

            i = SkipValue(line, SkipWhitespace(line, i + 1), depth);
            if (i < 0 || (i = SkipWhitespace(line, i)) >= line.Length)
            {
                return -1;
            }

            if (line[i] == (byte)'}')
            {
                return i + 1;
            }

            if (line[i] != (byte)',')
            {
                return -1;
            }

            i = SkipWhitespace(line, i + 1);
        }
    }

    private static int SkipArray(ReadOnlySpan<byte> line, int i, int depth)
    {
        i = SkipWhitespace(line, i + 1);
        if (i < line.Length && line[i] == (byte)']')
        {
            return i + 1;
        }

        while (true)
        {
            i = SkipValue(line, i, depth);
            if (i < 0 || (i = SkipWhitespace(line, i)) >= line.Length)
            {
                return -1;
            }

            if (line[i] == (byte)']')
            {
                return i + 1;
            }

            if (line[i] != (byte)',')
            {
                return -1;
            }

            i = SkipWhitespace(line, i + 1);
        }
    }

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

    /// <summary>Scans <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>; returns the index after it, or -1.</summary>
    private static int ScanNumber(ReadOnlySpan<byte> line, int i, out bool integer)
    {
        integer = true;
        if (i < line.Length && line[i] == (byte)'-')
        {
            i++;
        }

        if (i >= line.Length || !char.IsAsciiDigit((char)line[i]))
        {
            return -1;
        }

        i = line[i] == (byte)'0' ? i + 1 : SkipDigits(line, i);
        if (i < line.Length && line[i] == (byte)'.')
        {
            integer = false;
            int fraction = SkipDigits(line, i + 1);
            if (fraction == i + 1)
            {
                return -1;
            }

            i = fraction;
        }

        if (i < line.Length && (line[i] | 0x20) == (byte)'e')
        {
            integer = false;
            i++;
            if (i < line.Length && line[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            int exponent = SkipDigits(line, i);
            if (exponent == i)
            {
                return -1;
            }

            i = exponent;
        }

        return i;
    }

    private static int SkipDigits(ReadOnlySpan<byte> line, int i)
    {
        int run = line[i..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        return run < 0 ? line.Length : i + run;
    }

    /// <remarks>
    /// Called before and after every token, and peers almost never put whitespace there: the common case is one
    /// compare, inlined; only real whitespace pays for the loop.
    /// </remarks>
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
