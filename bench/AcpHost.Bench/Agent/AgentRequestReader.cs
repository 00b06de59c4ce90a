using System.Buffers;
using System.Text.Json;

namespace AcpHost.Bench.Agent;

/// <summary>
/// One <see cref="Utf8JsonReader"/> pass over a line's top level, reading <c>method</c>, <c>id</c> and the two flood
/// parameters and skipping the rest. The id is kept as raw bytes so the reply echoes it exactly, whatever its type.
/// </summary>
internal sealed class AgentRequestReader
{
    private byte[] _id = new byte[64];

    /// <summary>The raw id of the last request read; valid until the next call to <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Id(AgentRequest request) => _id.AsSpan(0, request.IdLength);

    /// <summary>Reads one line, without its newline. A line that is not valid JSON reads as <see cref="AgentMethod.None"/>.</summary>
    public AgentRequest Read(ReadOnlySequence<byte> line)
    {
        var method = AgentMethod.None;
        int idLength = 0;
        long count = 0;
        int size = 0;
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    method = ReadMethod(ref reader);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    idLength = CopyId(ref reader, line);
                }
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    ReadFloodParams(ref reader, ref count, ref size);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A fake agent has no one to complain to: a broken line is simply not answered.
            return default;
        }

        return new AgentRequest(method, idLength, count, size);
    }

    private static AgentMethod ReadMethod(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return AgentMethod.Other;
        }

        if (reader.ValueTextEquals("bench/ping"u8))
        {
            return AgentMethod.Ping;
        }

        if (reader.ValueTextEquals("bench/flood"u8))
        {
            return AgentMethod.Flood;
        }

        if (reader.ValueTextEquals("session/prompt"u8))
        {
            return AgentMethod.Prompt;
        }

        if (reader.ValueTextEquals("session/new"u8))
        {
            return AgentMethod.SessionNew;
        }

        return reader.ValueTextEquals("initialize"u8) ? AgentMethod.Initialize : AgentMethod.Other;
    }

    private int CopyId(ref Utf8JsonReader reader, ReadOnlySequence<byte> line)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
        {
            reader.Skip();
            return 0;
        }

        // TokenStartIndex is the opening quote of a string, and BytesConsumed ends after its closing quote,
        // so the slice is the id exactly as the client wrote it.
        long start = reader.TokenStartIndex;
        int length = checked((int)(reader.BytesConsumed - start));
        if (length > _id.Length)
        {
            _id = new byte[length];
        }

        line.Slice(start, length).CopyTo(_id);
        return length;
    }

    private static void ReadFloodParams(ref Utf8JsonReader reader, ref long count, ref int size)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("count"u8))
            {
                reader.Read();
                count = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long c) ? c : 0;
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                reader.Read();
                size = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int s) ? s : 0;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }
}
