using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// A JSON-RPC request id: a string or an integer. The relay only ever compares ids and writes them back,
/// so the value type keeps exactly what is needed for that and nothing else.
/// </summary>
/// <remarks>
/// A short printable-ASCII string id (up to <see cref="MaxPackedLength"/> bytes, "b17", "42a") is packed into the
/// integer field instead of held as a string: every request and every response has its id read, and clients that use
/// short string ids would otherwise cost two strings per round trip. The packed form is the only form such an id
/// has (the string constructor packs too), so equality stays a plain comparison.
/// </remarks>
public readonly struct RequestId : IEquatable<RequestId>
{
    /// <summary>The longest string id that is packed rather than allocated.</summary>
    public const int MaxPackedLength = 7;

    // A private instance, never interned: it marks a packed string id by reference and never equals a real id.
    private static readonly string PackedMarker = new('\u0001', 1);

    private readonly string? _string;
    private readonly long _number;

    /// <summary>Creates a string id.</summary>
    public RequestId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (TryPack(value, out long packed))
        {
            _string = PackedMarker;
            _number = packed;
        }
        else
        {
            _string = value;
        }
    }

    /// <summary>Creates an integer id.</summary>
    public RequestId(long value) => _number = value;

    private RequestId(long packed, bool _)
    {
        _string = PackedMarker;
        _number = packed;
    }

    /// <summary>True for a string id.</summary>
    public bool IsString => _string is not null;

    /// <summary>The string value, or null for an integer id. A short string id is made into a string here.</summary>
    public string? AsString
    {
        get
        {
            if (!IsPacked)
            {
                return _string;
            }

            Span<byte> bytes = stackalloc byte[MaxPackedLength];
            return Encoding.ASCII.GetString(bytes[..Unpack(_number, bytes)]);
        }
    }

    /// <summary>The integer value (0 for a string id).</summary>
    public long AsNumber => IsPacked ? 0 : _number;

    private bool IsPacked => ReferenceEquals(_string, PackedMarker);

    /// <summary>
    /// A string id from its unescaped UTF-8 bytes; a short one costs no allocation.
    /// </summary>
    public static RequestId FromUtf8(ReadOnlySpan<byte> value)
    {
        if (value.Length <= MaxPackedLength)
        {
            long packed = (long)value.Length << 56;
            bool printable = true;
            for (int i = 0; i < value.Length; i++)
            {
                printable &= value[i] is >= 0x20 and < 0x7F;
                packed |= (long)value[i] << (8 * i);
            }

            if (printable)
            {
                return new RequestId(packed, true);
            }
        }

        return new RequestId(Encoding.UTF8.GetString(value));
    }

    /// <summary>True for a string id that starts with <paramref name="prefix"/> (ordinal).</summary>
    public bool StartsWith(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!IsPacked)
        {
            return _string is not null && _string.StartsWith(prefix, StringComparison.Ordinal);
        }

        Span<byte> bytes = stackalloc byte[MaxPackedLength];
        int length = Unpack(_number, bytes);
        if (prefix.Length > length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (prefix[i] != (char)bytes[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the id as a JSON value.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (IsPacked)
        {
            Span<byte> bytes = stackalloc byte[MaxPackedLength];
            writer.WriteStringValue(bytes[..Unpack(_number, bytes)]);
        }
        else if (_string is not null)
        {
            writer.WriteStringValue(_string);
        }
        else
        {
            writer.WriteNumberValue(_number);
        }
    }

    /// <summary>The id as JSON text in UTF-8 (a quoted, escaped string or digits).</summary>
    public byte[] ToJsonBytes()
    {
        if (_string is null)
        {
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(_number, digits, out int written);
            return digits[..written].ToArray();
        }

        RequestId self = this;
        return JsonRpcWriter.ToBytes(writer => self.WriteTo(writer));
    }

    /// <inheritdoc/>
    public bool Equals(RequestId other) =>
        _string is null || IsPacked
            ? ReferenceEquals(_string, other._string) && _number == other._number
            : other._string is not null && !other.IsPacked && string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RequestId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        _string is null ? _number.GetHashCode() : IsPacked ? HashCode.Combine(_number, 1) : StringComparer.Ordinal.GetHashCode(_string);

    /// <summary>The id for logs: a string quoted (and cut after 80 characters), an integer as digits.</summary>
    public override string ToString()
    {
        string? value = AsString;
        return value is null ? _number.ToString(CultureInfo.InvariantCulture) : value.Length > 80 ? $"\"{value[..80]}…\"" : $"\"{value}\"";
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(RequestId left, RequestId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RequestId left, RequestId right) => !left.Equals(right);

    private static bool TryPack(string value, out long packed)
    {
        packed = (long)value.Length << 56;
        if (value.Length > MaxPackedLength)
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] is < (char)0x20 or >= (char)0x7F)
            {
                return false;
            }

            packed |= (long)value[i] << (8 * i);
        }

        return true;
    }

    private static int Unpack(long packed, Span<byte> bytes)
    {
        int length = (int)((ulong)packed >> 56);
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((packed >> (8 * i)) & 0xFF);
        }

        return length;
    }
}
