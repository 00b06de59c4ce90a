using System.Buffers.Text;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// The fast path of <see cref="MessageClassifier"/>: a validating scan, written for the shape peers actually send (an
/// object whose <c>jsonrpc</c>, <c>id</c> and <c>method</c> hold unescaped strings or integers, nesting under 64
/// levels). It proves such a line well-formed JSON exactly as the reader would (RFC 8259, no comments, no trailing
/// commas) and fills the same <see cref="TopLevel"/> the reader's pass would, but costs a fraction of the reader's
/// per-token work. On anything else, valid or not, it gives up and the reader decides; so it can never accept what the
/// reader rejects, and never words an error.
/// </summary>
public static partial class MessageClassifier
{
    private static ReadOnlySpan<byte> CommonStart => "{\"jsonrpc\":\"2.0\","u8;

    /// <summary>
    /// Scans a line (already known to be valid UTF-8) into <paramref name="scan"/>. False when the line is not of the
    /// plain shape or not valid JSON; <paramref name="scan"/> is then partly filled and must be discarded.
    /// </summary>
    private static bool TryScanPlain(ReadOnlySpan<byte> line, ref TopLevel scan)
    {
        int i = SkipWhitespace(line, 0);
        if (i >= line.Length || line[i] != (byte)'{')
        {
            return false;
        }

        if (line[i..].StartsWith(CommonStart))
        {
            // How the ACP SDKs begin every message: one compare settles the first member and the comma after it.
            scan.Version = VersionState.Valid;
            i += CommonStart.Length;
        }
        else
        {
            i = SkipWhitespace(line, i + 1);
            if (i < line.Length && line[i] == (byte)'}')
            {
                return SkipWhitespace(line, i + 1) == line.Length;
            }
        }

        while (true)
        {
            // A member name; an escaped one could spell a known name and is left to the reader.
            int keyEnd = ScanString(line, i, out bool keyEscaped);
            if (keyEnd < 0 || keyEscaped)
            {
                return false;
            }

            ReadOnlySpan<byte> key = line[(i + 1)..keyEnd];
            i = SkipWhitespace(line, keyEnd + 1);
            if (i >= line.Length || line[i] != (byte)':')
            {
                return false;
            }

            i = SkipWhitespace(line, i + 1);
            i = key.Length switch
            {
                7 when key.SequenceEqual("jsonrpc"u8) => ScanVersion(line, i, ref scan),
                2 when key.SequenceEqual("id"u8) => ScanId(line, i, ref scan),
                6 when key.SequenceEqual("method"u8) => ScanMethod(line, i, ref scan),
                _ => SkipMember(key, line, i, ref scan),
            };
            if (i < 0)
            {
                return false;
            }

            i = SkipWhitespace(line, i);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == (byte)',')
            {
                i = SkipWhitespace(line, i + 1);
                continue;
            }

            // One value per line: only whitespace may follow the closing brace.
            return line[i] == (byte)'}' && SkipWhitespace(line, i + 1) == line.Length;
        }
    }

    private static int ScanVersion(ReadOnlySpan<byte> line, int i, ref TopLevel scan)
    {
        int end = ScanString(line, i, out bool escaped);
        if (end < 0 || escaped)
        {
            return -1;
        }

        scan.Version = line[(i + 1)..end].SequenceEqual("2.0"u8) ? VersionState.Valid : VersionState.Wrong;
        return end + 1;
    }

    private static int ScanMethod(ReadOnlySpan<byte> line, int i, ref TopLevel scan)
    {
        int end = ScanString(line, i, out bool escaped);
        if (end < 0 || escaped)
        {
            return -1;
        }

        scan.Method = MethodNames.Get(line[(i + 1)..end]);
        scan.MethodWrongType = false;
        return end + 1;
    }

    private static int ScanId(ReadOnlySpan<byte> line, int i, ref TopLevel scan)
    {
        if (i >= line.Length)
        {
            return -1;
        }

        int end;
        byte first = line[i];
        scan.StartId(i);
        if (first == (byte)'"')
        {
            end = ScanString(line, i, out bool escaped);
            if (end < 0 || escaped)
            {
                return -1;
            }

            scan.Id = RequestId.FromUtf8(line[(i + 1)..end]);
            end++;
        }
        else if (first == (byte)'n')
        {
            if (!line[i..].StartsWith("null"u8))
            {
                return -1;
            }

            scan.IdNull = true;
            end = i + 4;
        }
        else
        {
            // An integer the reader's TryGetInt64 takes: no fraction, no exponent, within range. Others go to the reader.
            end = ScanNumber(line, i, out bool integer);
            if (end < 0 || !integer || !Utf8Parser.TryParse(line[i..end], out long number, out int consumed) || consumed != end - i)
            {
                return -1;
            }

            scan.SetNumberId(number);
        }

        scan.IdLength = end - i;
        return end;
    }

    private static int SkipMember(ReadOnlySpan<byte> key, ReadOnlySpan<byte> line, int i, ref TopLevel scan)
    {
        if (key.SequenceEqual("result"u8))
        {
            scan.HasResult = true;
        }
        else if (key.SequenceEqual("error"u8))
        {
            scan.HasError = true;
        }

        return SkipValue(line, i, 1);
    }
}
