using System.Text.Json;
using AcpHost.Relay.Protocol;

namespace AcpHost.Features.PostMortem;

/// <summary>
/// Reads the context fill from an assistant line of a transcript: <c>message.usage</c>'s <c>input_tokens +
/// cache_read_input_tokens + cache_creation_input_tokens</c>, with the line's timestamp, session and cwd. One
/// <see cref="Utf8JsonReader"/> pass: the message's content is skipped, never turned into strings.
/// </summary>
public static class UsageLineParser
{
    /// <summary>True when the line may carry a usage; false means it certainly does not.</summary>
    public static bool MayHaveUsage(ReadOnlySpan<byte> line) =>
        line.IndexOf("\"usage\""u8) >= 0 && line.IndexOf("\"assistant\""u8) >= 0;

    /// <summary>
    /// The line's usage; null when the line is valid JSON but not an assistant message with a usage, a timestamp
    /// and a fill above zero (the agent's synthetic messages report zeros). Throws <see cref="JsonException"/> or
    /// <see cref="InvalidOperationException"/> when the line is not valid JSON (or not UTF-8 where it is read).
    /// <paramref name="lastSession"/> and <paramref name="lastCwd"/> are reused when the line says the same, so a file's
    /// thousands of lines share one string each.
    /// </summary>
    public static UsageLine? Parse(ReadOnlySpan<byte> line, ref string? lastSession, ref string? lastCwd)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        bool assistant = false;
        bool sidechain = false;
        DateTimeOffset? at = null;
        long? fill = null;
        string? session = null;
        string? cwd = null;
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
                session = ReadShared(ref reader, ref lastSession);
            }
            else if (reader.ValueTextEquals("cwd"u8))
            {
                cwd = ReadShared(ref reader, ref lastCwd);
            }
            else if (reader.ValueTextEquals("isSidechain"u8))
            {
                reader.Read();
                sidechain = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                fill = reader.TokenType == JsonTokenType.StartObject ? ReadMessageFill(ref reader) : Skipped(ref reader);
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

        return assistant && at is { } time && fill is > 0 ? new UsageLine(session, cwd, new FillPoint(time, fill.Value), sidechain) : null;
    }

    private static string? ReadShared(ref Utf8JsonReader reader, ref string? last)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (last is null || !reader.ValueTextEquals(last))
        {
            last = reader.GetString();
        }

        return last;
    }

    private static long? Skipped(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    // Positioned on the message's StartObject; returns on its EndObject.
    private static long? ReadMessageFill(ref Utf8JsonReader reader)
    {
        long? fill = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("usage"u8))
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            long sum = 0;
            bool any = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool counted = reader.ValueTextEquals("input_tokens"u8)
                    || reader.ValueTextEquals("cache_read_input_tokens"u8)
                    || reader.ValueTextEquals("cache_creation_input_tokens"u8);
                reader.Read();
                if (counted && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long tokens))
                {
                    sum = TokenMath.Add(sum, tokens);
                    any = true;
                }

                reader.Skip();
            }

            fill = any ? sum : null;
        }

        return fill;
    }
}
