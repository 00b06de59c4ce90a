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
    /// Finds <c>params.requestId</c> of a <c>$/cancel_request</c> line: its value and where it sits.
    /// Returns false when the line has no such string or integer member.
    /// </summary>
    public static bool TryFindCancelTarget(ReadOnlySpan<byte> line, out RequestId requestId, out long start, out long length)
    {
        requestId = default;
        start = -1;
        length = 0;
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isParams = reader.ValueTextEquals("params"u8);
            reader.Read();
            if (!isParams || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isTarget = reader.ValueTextEquals("requestId"u8);
                reader.Read();
                if (isTarget && TryReadId(ref reader, out requestId))
                {
                    start = reader.TokenStartIndex;
                    length = reader.BytesConsumed - start;
                    return true;
                }

                reader.Skip();
            }

            return false;
        }

        return false;
    }

    private static bool TryReadId(ref Utf8JsonReader reader, out RequestId id)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return TryReadString(ref reader, out id);
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
