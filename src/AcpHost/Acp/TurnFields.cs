using AcpHost.Relay.Protocol;

namespace AcpHost.Acp;

/// <summary>
/// The few fields the host reads on every turn of a conversation (a prompt's <c>params.sessionId</c>, a
/// <c>usage_update</c>'s fill), read with one <see cref="Utf8JsonReader"/> pass and no objects but the session id.
/// They used to go through the serializer, whose read state costs about a kilobyte a message: with a prompt and a
/// usage_update per turn that was most of what a turn allocated. Values are read as the agent reads them
/// with <c>JSON.parse</c>: exact-case keys, the last of duplicate keys wins, escapes decoded, numbers as doubles.
/// </summary>
internal static class TurnFields
{
    // As deep as the relay's classifier lets a line be: a line it forwarded must not make this reader throw.
    private static readonly JsonReaderOptions Options = JsonDepth.Reader;

    /// <summary>A turn's context fill, from a <c>usage_update</c>.</summary>
    /// <param name="SessionId">The session.</param>
    /// <param name="Used">Tokens in use, when it is a whole number.</param>
    /// <param name="Size">The context window, when it is a whole number.</param>
    public readonly record struct Usage(string SessionId, long? Used, long? Size);

    /// <summary>The string <c>params.sessionId</c> of a request or notification, or null.</summary>
    public static string? SessionIdOf(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        string? sessionId = null;
        try
        {
            while (NextParams(ref reader))
            {
                sessionId = ReadSessionParams(ref reader, out _);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }

        return sessionId;
    }

    /// <summary>The fill a <c>session/update</c> reports, when it is a <c>usage_update</c> with a session id.</summary>
    public static Usage? UsageOf(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        string? sessionId = null;
        UpdateFields update = default;
        try
        {
            while (NextParams(ref reader))
            {
                sessionId = ReadSessionParams(ref reader, out update);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }

        return sessionId is not null && update.IsUsage ? new Usage(sessionId, update.Used, update.Size) : null;
    }

    /// <summary>
    /// Moves to the value of the next top-level <c>params</c>; false at the end of the message. Called in a loop, so
    /// that of duplicate <c>params</c> the last one's fields stand. Throws <see cref="JsonException"/> on a line that is
    /// not JSON, <see cref="InvalidOperationException"/> on a string that escapes half a surrogate pair (no .NET string
    /// can hold it): the callers read nothing from such a line, which the relay's classifier has dealt with anyway.
    /// </summary>
    private static bool NextParams(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.None && (!reader.Read() || reader.TokenType != JsonTokenType.StartObject))
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isParams = reader.ValueTextEquals("params"u8);
            reader.Read();
            if (isParams)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>Reads a <c>params</c> value (the reader on its first token) to its end: its session id and update.</summary>
    private static string? ReadSessionParams(ref Utf8JsonReader reader, out UpdateFields update)
    {
        update = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? sessionId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sessionId"u8))
            {
                reader.Read();
                sessionId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("update"u8))
            {
                reader.Read();
                update = ReadUpdate(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return sessionId;
    }

    private static UpdateFields ReadUpdate(ref Utf8JsonReader reader)
    {
        var update = default(UpdateFields);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return update;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sessionUpdate"u8))
            {
                reader.Read();
                update.IsUsage = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("usage_update"u8);
            }
            else if (reader.ValueTextEquals("used"u8))
            {
                reader.Read();
                update.Used = WholeNumber(ref reader);
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                reader.Read();
                update.Size = WholeNumber(ref reader);
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return update;
    }

    /// <summary>A number the agent's doubles hold as a whole number (2560 or 2560.0), or null.</summary>
    private static long? WholeNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            return null;
        }

        if (reader.TryGetInt64(out long whole))
        {
            return whole;
        }

        return reader.TryGetDouble(out double value) && double.IsFinite(value) && Math.Abs(value) < 9.2e18 && value == Math.Floor(value)
            ? (long)value
            : null;
    }

    private struct UpdateFields
    {
        public bool IsUsage;
        public long? Used;
        public long? Size;
    }
}
