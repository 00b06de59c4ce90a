using System.Text.Json;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// Replaces one JSON value inside a line by another, leaving every other byte as it was: the relay changes an id,
/// never re-serialises a message.
/// </summary>
public static class IdRewriter
{
    /// <summary>Returns a copy of <paramref name="line"/> with the value at [start, start+length) replaced by <paramref name="id"/>.</summary>
    public static byte[] Replace(ReadOnlySpan<byte> line, long start, long length, RequestId id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, line.Length);
        byte[] value = id.ToJsonBytes();
        int head = (int)start;
        int tailStart = (int)(start + length);
        byte[] result = new byte[head + value.Length + (line.Length - tailStart)];
        line[..head].CopyTo(result);
        value.CopyTo(result.AsSpan(head));
        line[tailStart..].CopyTo(result.AsSpan(head + value.Length));
        return result;
    }

    /// <summary>
    /// Finds the id in <c>params.</c><paramref name="member"/> of a line (a cancel notification's target) as the agent's
    /// <c>JSON.parse</c> reads it: the last <c>params</c> member, and in it the last member of that name (exact-case
    /// names, escapes decoded). Returns false when that value is not a string or an integer (the agent then names no
    /// request of ours).
    /// </summary>
    public static bool TryFindParamsMember(ReadOnlySpan<byte> line, ReadOnlySpan<byte> member, out RequestId requestId, out long start, out long length)
    {
        requestId = default;
        start = -1;
        length = 0;
        long paramsStart = LastMemberStart(line, "params"u8);
        if (paramsStart < 0 || line[(int)paramsStart] != (byte)'{')
        {
            return false;
        }

        long targetStart = LastMemberStart(line[(int)paramsStart..], member);
        if (targetStart < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(line[(int)(paramsStart + targetStart)..], JsonDepth.Reader);
        if (!reader.Read() || !TryReadId(ref reader, out requestId))
        {
            return false;
        }

        start = paramsStart + targetStart;
        length = reader.BytesConsumed;
        return true;
    }

    /// <summary>
    /// Where the value of the last member named <paramref name="name"/> of the object at the start of
    /// <paramref name="json"/> begins, or -1. Later duplicates win, as in <c>JSON.parse</c>.
    /// </summary>
    private static long LastMemberStart(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json, JsonDepth.Reader);
        long found = -1;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return -1;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals(name);
                reader.Read();
                if (match)
                {
                    found = reader.TokenStartIndex;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Only a slice that starts inside a larger document ends in unexpected bytes; the line itself was
            // classified as valid JSON before it got here.
        }

        return found;
    }

    private static bool TryReadId(ref Utf8JsonReader reader, out RequestId id)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.ValueIsEscaped:
                return TryReadString(ref reader, out id);
            case JsonTokenType.String:
                id = RequestId.FromUtf8(reader.ValueSpan);
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out long number):
                id = new RequestId(number);
                return true;
            default:
                id = default;
                return false;
        }
    }

    private static bool TryReadString(ref Utf8JsonReader reader, out RequestId id)
    {
        try
        {
            id = new RequestId(reader.GetString()!);
            return true;
        }
        catch (InvalidOperationException)
        {
            // An escape that leaves half a surrogate pair ("\ud800"): JSON.parse keeps it, .NET cannot make a string of
            // it. Such an id is never the host's (all ASCII) nor an aliased client id (the classifier refuses those),
            // so the line needs no rewrite and goes on as it came.
            id = default;
            return false;
        }
    }
}
