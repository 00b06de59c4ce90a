using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Cli;

/// <summary>
/// What every <c>--json</c> output shares: the writer's settings and the small helpers for optional values. The output
/// goes to a terminal or a script, never into HTML, so '+' and non-ASCII text need no escaping.
/// </summary>
internal static class CliJson
{
    /// <summary>Indented, for arrays and documents people may also read.</summary>
    public static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One object per line, for streams such as <c>watch --json</c>.</summary>
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON text written by <paramref name="write"/> with <paramref name="options"/>.</summary>
    public static string Write(Action<Utf8JsonWriter> write, JsonWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An indented array with one object per item, its fields written by <paramref name="writeFields"/>.</summary>
    public static string Array<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields) => Write(
        json =>
        {
            json.WriteStartArray();
            foreach (T item in items)
            {
                json.WriteStartObject();
                writeFields(json, item);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        },
        Indented);

    /// <summary>A number, or null when unknown: the field is always there.</summary>
    public static void NumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>A UTC time, or null when unknown.</summary>
    public static void TimeOrNull(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is { } time)
        {
            json.WriteString(name, time.UtcDateTime);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>
    /// The <c>flattened</c> field of <c>compactions --json</c> and <c>scan --json</c>: the ledger's own form of it, or
    /// null while unknown.
    /// </summary>
    public static void Flattened(Utf8JsonWriter json, FlattenedSpecifics? flattened)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WritePropertyName("flattened");
        if (flattened is null)
        {
            json.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(json, flattened, LedgerJsonContext.Default.FlattenedSpecifics);
        }
    }
}
