using System.Buffers;
using AcpHost.Relay.Protocol;

namespace AcpHost.Control;

/// <summary>
/// What the control endpoint refuses before StreamJsonRpc sees a message, because StreamJsonRpc would end the whole
/// connection over it (losing the requests behind it) instead of answering: a response (the endpoint sends no requests),
/// <c>params</c> that are neither an object nor an array, <c>session/fork</c> params of the wrong types, and a
/// <c>$/cancelRequest</c> that names no request. Each gets the JSON-RPC error for it; the connection goes on.
/// </summary>
internal static class ControlMessageCheck
{
    private const string CancelRequest = "$/cancelRequest";

    /// <summary>The error to answer <paramref name="line"/> with, or null when StreamJsonRpc may have it.</summary>
    public static MessageError? Problem(MessageInfo info, ReadOnlySequence<byte> line)
    {
        if (info.Kind == MessageKind.Response)
        {
            return new MessageError(JsonRpcErrorCodes.InvalidRequest, "Invalid request: the control endpoint sends no requests, so it takes no responses");
        }

        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        bool hasParams = document.RootElement.TryGetProperty("params"u8, out JsonElement parameters);
        if (hasParams && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return new MessageError(JsonRpcErrorCodes.InvalidRequest, "Invalid request: \"params\" must be an object or an array");
        }

        return info.Method switch
        {
            ControlMethods.Fork => ForkProblem(hasParams ? parameters : default),
            CancelRequest => hasParams && parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("id"u8, out JsonElement id)
                && (id.ValueKind == JsonValueKind.String || (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out _)))
                ? null
                : new MessageError(JsonRpcErrorCodes.InvalidParams, "Invalid params: $/cancelRequest takes {\"id\": the request's id}"),
            _ => null,
        };
    }

    // Read as the handler will read it, into the same record: what fails here would fail there, after the connection.
    private static MessageError? ForkProblem(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return new MessageError(JsonRpcErrorCodes.InvalidParams, "Invalid params: session/fork takes an object {\"sessionId\": string, \"messageId\": string?}");
        }

        try
        {
            parameters.Deserialize(ControlJsonContext.Default.ControlForkParams);
            return null;
        }
        catch (JsonException ex)
        {
            return new MessageError(JsonRpcErrorCodes.InvalidParams, "Invalid params: " + ex.Message);
        }
    }
}
