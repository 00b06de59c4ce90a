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
/// A string id is held as a string. Packing short string ids into the integer (to save their allocation) was tried and
/// removed: side by side in <c>scripts/bench.sh</c>, whose requests all carry short string ids, it bought nothing
/// measurable (bench/HISTORY.md, "what each micro-optimisation buys").
/// </remarks>
public readonly struct RequestId : IEquatable<RequestId>
{
    private readonly string? _string;
    private readonly long _number;

    /// <summary>Creates a string id.</summary>
    public RequestId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _string = value;
    }

    /// <summary>Creates an integer id.</summary>
    public RequestId(long value) => _number = value;

    /// <summary>True for a string id.</summary>
    public bool IsString => _string is not null;

    /// <summary>The string value, or null for an integer id.</summary>
    public string? AsString => _string;

    /// <summary>The integer value (0 for a string id).</summary>
    public long AsNumber => _string is null ? _number : 0;

    /// <summary>A string id from its unescaped UTF-8 bytes.</summary>
    public static RequestId FromUtf8(ReadOnlySpan<byte> value) => new(Encoding.UTF8.GetString(value));

    /// <summary>True for a string id that starts with <paramref name="prefix"/> (ordinal).</summary>
    public bool StartsWith(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return _string is not null && _string.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>Writes the id as a JSON value.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_string is not null)
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
        _string is null
            ? other._string is null && _number == other._number
            : string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RequestId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _string is null ? _number.GetHashCode() : StringComparer.Ordinal.GetHashCode(_string);

    /// <summary>The id for logs: a string quoted (and cut after 80 characters), an integer as digits.</summary>
    public override string ToString() =>
        _string is null ? _number.ToString(CultureInfo.InvariantCulture) : _string.Length > 80 ? $"\"{_string[..80]}…\"" : $"\"{_string}\"";

    /// <summary>Equality.</summary>
    public static bool operator ==(RequestId left, RequestId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RequestId left, RequestId right) => !left.Equals(right);
}
