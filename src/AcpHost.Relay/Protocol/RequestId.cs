using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// A JSON-RPC request id: a string or an integer. The relay only ever compares ids and writes them back,
/// so the value type keeps exactly what is needed for that and nothing else.
/// </summary>
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

    /// <summary>The integer value; meaningful only when <see cref="IsString"/> is false.</summary>
    public long AsNumber => _number;

    /// <summary>Writes the id as a JSON value.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_string is not null)
        {
            writer.WriteStringValue(_string);
        }
        else
        {
            writer.WriteNumberValue(_number);
        }
    }

    /// <summary>The id as the JSON text it would be written as.</summary>
    public byte[] ToJsonBytes()
    {
        if (_string is null)
        {
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(_number, digits, out int written);
            return digits[..written].ToArray();
        }

        string value = _string;
        return JsonRpcWriter.ToBytes(writer => writer.WriteStringValue(value));
    }

    /// <inheritdoc/>
    public bool Equals(RequestId other) =>
        _string is null ? other._string is null && _number == other._number : string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RequestId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _string is null ? _number.GetHashCode() : StringComparer.Ordinal.GetHashCode(_string);

    /// <inheritdoc/>
    /// <remarks>Long string ids are shortened: this is for log lines, not for the wire.</remarks>
    public override string ToString() => _string is null ? _number.ToString(CultureInfo.InvariantCulture) : _string.Length > 80 ? $"\"{_string[..80]}…\"" : $"\"{_string}\"";

    /// <summary>Equality.</summary>
    public static bool operator ==(RequestId left, RequestId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RequestId left, RequestId right) => !left.Equals(right);
}
