using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AcpHost.Relay.Protocol;

/// <summary>Writes the few messages the host composes itself: errors, requests and notifications.</summary>
public static class JsonRpcWriter
{
    /// <summary>
    /// Options for every message the host writes: compact, and without \u-escaping of non-ASCII text
    /// (the stream is UTF-8 JSON, read by programs, never embedded in HTML).
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>Writes an error response. <paramref name="id"/> null writes <c>"id": null</c>.</summary>
    public static void WriteError(IBufferWriter<byte> output, RequestId? id, int code, string message, Action<Utf8JsonWriter>? writeData = null)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (id is { } value)
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("error"u8);
        WriteErrorObject(writer, code, message, writeData);
        writer.WriteEndObject();
    }

    /// <summary>Writes a JSON-RPC error object <c>{code, message, data?}</c> as the writer's next value.</summary>
    public static void WriteErrorObject(Utf8JsonWriter writer, int code, string message, Action<Utf8JsonWriter>? writeData = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("code"u8, code);
        writer.WriteString("message"u8, message);
        if (writeData is not null)
        {
            writer.WritePropertyName("data"u8);
            writeData(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>The bytes of one JSON value written by <paramref name="write"/>, with the host's writer options.</summary>
    public static byte[] ToBytes(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a response whose <c>result</c> (or, with <paramref name="isError"/>, <c>error</c>) is already-encoded JSON.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, RequestId id, ReadOnlySpan<byte> json, bool isError = false)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        id.WriteTo(writer);
        writer.WritePropertyName(isError ? "error"u8 : "result"u8);
        writer.WriteRawValue(json, skipInputValidation: false);
        writer.WriteEndObject();
    }

    /// <summary>Writes a request whose params are already-encoded JSON.</summary>
    public static void WriteRequest(IBufferWriter<byte> output, RequestId id, string method, ReadOnlySpan<byte> paramsJson)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        id.WriteTo(writer);
        writer.WriteString("method"u8, method);
        if (!paramsJson.IsEmpty)
        {
            writer.WritePropertyName("params"u8);
            writer.WriteRawValue(paramsJson, skipInputValidation: false);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a notification whose params are already-encoded JSON.</summary>
    public static void WriteNotification(IBufferWriter<byte> output, string method, ReadOnlySpan<byte> paramsJson)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WriteString("method"u8, method);
        if (!paramsJson.IsEmpty)
        {
            writer.WritePropertyName("params"u8);
            writer.WriteRawValue(paramsJson, skipInputValidation: false);
        }

        writer.WriteEndObject();
    }
}
