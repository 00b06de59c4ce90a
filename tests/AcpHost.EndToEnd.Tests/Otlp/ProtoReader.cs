using System.Buffers.Binary;
using System.Text;

namespace AcpHost.EndToEnd.Tests.Otlp;

/// <summary>One field of a protobuf message: its number, and its value as a varint/fixed number or as bytes.</summary>
public readonly record struct ProtoField(int Number, ulong Number64, ReadOnlyMemory<byte> Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public double Real => BitConverter.UInt64BitsToDouble(Number64);
}

/// <summary>
/// The protobuf wire format, just enough to read what an OTLP exporter sends: varints, fixed 32/64-bit numbers and
/// length-delimited fields (messages, strings, bytes). No schema: the OTLP decoders name the field numbers.
/// </summary>
public static class ProtoReader
{
    public static List<ProtoField> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtoField>();
        int at = 0;
        ReadOnlySpan<byte> span = message.Span;
        while (at < span.Length)
        {
            ulong key = Varint(span, ref at);
            int number = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    fields.Add(new ProtoField(number, Varint(span, ref at), default));
                    break;
                case 1:
                    fields.Add(new ProtoField(number, BinaryPrimitives.ReadUInt64LittleEndian(span[at..]), default));
                    at += 8;
                    break;
                case 2:
                    int length = checked((int)Varint(span, ref at));
                    fields.Add(new ProtoField(number, 0, message.Slice(at, length)));
                    at += length;
                    break;
                case 5:
                    fields.Add(new ProtoField(number, BinaryPrimitives.ReadUInt32LittleEndian(span[at..]), default));
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported wire type {key & 7} for field {number}");
            }
        }

        return fields;
    }

    public static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number).Select(f => f.Bytes);

    private static ulong Varint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
