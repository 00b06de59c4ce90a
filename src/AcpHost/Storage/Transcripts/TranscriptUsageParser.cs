using AcpHost.Relay.Protocol;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Reads the model request an assistant line of a transcript records: <c>message.id</c>, <c>requestId</c>,
/// <c>message.model</c> and <c>message.usage</c> (with its <c>cache_creation</c> split), with the line's time, session,
/// cwd, subagent and fork marks. One <see cref="Utf8JsonReader"/> pass: the message's content is skipped, never
/// turned into strings (unless the caller also wants its tool calls, which the same pass then reads: see the overload);
/// a repeated key is read again, so the last one wins, as with <c>JSON.parse</c>.
/// </summary>
internal static class TranscriptUsageParser
{
    // What Claude Code writes for a message it made up itself (an API error, an interrupted turn): no model answered it.
    private const string SyntheticModel = "<synthetic>";

    /// <summary>True when the line may carry a usage; false means it certainly does not.</summary>
    public static bool MayHaveUsage(ReadOnlySpan<byte> line) =>
        line.IndexOf("\"usage\""u8) >= 0 && line.IndexOf("\"assistant\""u8) >= 0;

    /// <summary>
    /// The line's request; false when the line is valid JSON but not an assistant message with a usage, a timestamp and
    /// a context above zero, or a synthetic one (the agent's own messages report zeros). Throws <see cref="JsonException"/> or <see cref="InvalidOperationException"/>
    /// when the line is not valid JSON (or not UTF-8 where it is read).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, ref LineStrings strings, out ModelRequest request) =>
        TryParse(line, ref strings, out request, calls: null);

    /// <summary>
    /// As <see cref="TryParse(ReadOnlySpan{byte}, ref LineStrings, out ModelRequest)"/>, and in the same pass fills
    /// <paramref name="calls"/> with the line's uuid and its message's <c>tool_use</c> blocks (the segment analysis'
    /// share of an answer: reading the line twice would cost the scan a second parse of every answer).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, ref LineStrings strings, out ModelRequest request, SegmentLine? calls)
    {
        request = default;
        calls?.Reset();
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        bool assistant = false;
        bool sidechain = false;
        DateTimeOffset? at = null;
        string? session = null, cwd = null, requestId = null, agentId = null, forkedFrom = null;
        Message message = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                assistant = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("assistant"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                at = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out DateTimeOffset parsed) ? parsed : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("sessionId"u8))
            {
                session = LineStrings.Read(ref reader, ref strings.Session);
            }
            else if (reader.ValueTextEquals("cwd"u8))
            {
                cwd = LineStrings.Read(ref reader, ref strings.Cwd);
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                requestId = LineStrings.Read(ref reader, ref strings.RequestId);
            }
            else if (reader.ValueTextEquals("agentId"u8))
            {
                agentId = LineStrings.Read(ref reader, ref strings.AgentId);
            }
            else if (reader.ValueTextEquals("isSidechain"u8))
            {
                reader.Read();
                sidechain = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("forkedFrom"u8))
            {
                reader.Read();
                forkedFrom = reader.TokenType == JsonTokenType.StartObject ? ReadForkParent(ref reader, ref strings) : Skipped(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.StartObject ? ReadMessage(ref reader, ref strings, calls) : SkippedMessage(ref reader);
            }
            else if (calls is not null && reader.ValueTextEquals("uuid"u8))
            {
                reader.Read();
                calls.Uuid = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        // Reading on to the end checks the line is whole: a torn line throws here rather than passing as valid.
        while (reader.Read())
        {
        }

        if (!assistant || at is not { } time || message.Tokens is not { Context: > 0 } tokens || message.Model == SyntheticModel)
        {
            return false;
        }

        request = new ModelRequest(session, cwd, time, message.Id, requestId, message.Model, tokens, sidechain, agentId, forkedFrom);
        return true;
    }

    private static string? Skipped(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static Message SkippedMessage(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return default;
    }

    // Positioned on forkedFrom's StartObject; returns on its EndObject. A copy that does not name its parent is still a copy.
    private static string ReadForkParent(ref Utf8JsonReader reader, ref LineStrings strings)
    {
        string? parent = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sessionId"u8))
            {
                parent = LineStrings.Read(ref reader, ref strings.ForkedFrom);
            }
            else
            {
                reader.Skip();
            }
        }

        return parent ?? "";
    }

    // Positioned on the message's StartObject; returns on its EndObject.
    private static Message ReadMessage(ref Utf8JsonReader reader, ref LineStrings strings, SegmentLine? calls)
    {
        Message message = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                message.Id = LineStrings.Read(ref reader, ref strings.MessageId);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                message.Model = LineStrings.Read(ref reader, ref strings.Model);
            }
            else if (calls is not null && reader.ValueTextEquals("content"u8))
            {
                SegmentLineParser.ReadContent(ref reader, calls, wantText: false);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                message.Tokens = reader.TokenType == JsonTokenType.StartObject ? ReadUsage(ref reader) : null;
                if (message.Tokens is null)
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return message;
    }

    // Positioned on the usage's StartObject; returns on its EndObject. A total without its split is five-minute cache.
    private static TokenCounts ReadUsage(ref Utf8JsonReader reader)
    {
        long input = 0, read = 0, output = 0, split5m = 0, split1h = 0;
        long? written = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                input = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                read = Count(ref reader);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                output = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                written = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("ephemeral_5m_input_tokens"u8))
                    {
                        split5m = Count(ref reader);
                    }
                    else if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8))
                    {
                        split1h = Count(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        // The total is what was billed; the split says how much of it was one-hour cache.
        long total = written ?? TokenMath.Add(split5m, split1h);
        long oneHour = Math.Min(split1h, total);
        return new TokenCounts(input, total - oneHour, oneHour, read, output);
    }

    // A token count as JavaScript would read it (a double), kept when it is a whole number from 0 up; anything else counts 0.
    private static long Count(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return 0;
        }

        if (reader.TryGetInt64(out long whole))
        {
            return Math.Max(0, whole);
        }

        return reader.TryGetDouble(out double value) && value >= 0 && double.IsFinite(value) && value == Math.Floor(value)
            ? value >= long.MaxValue ? long.MaxValue : (long)value
            : 0;
    }

    private struct Message
    {
        public string? Id;
        public string? Model;
        public TokenCounts? Tokens;
    }
}
