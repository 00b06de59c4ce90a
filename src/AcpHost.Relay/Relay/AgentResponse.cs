using System.Text.Json;
using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>The agent's answer to a request the host itself sent.</summary>
/// <param name="Result">The <c>result</c> member, when the request succeeded.</param>
/// <param name="Error">The <c>error</c> member, when it failed (code, message, data as the agent sent them).</param>
public sealed record AgentResponse(JsonElement? Result, JsonElement? Error)
{
    /// <summary>True when the agent answered with a result.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>Parses a response line; the elements stay valid after the line's buffer is reused.</summary>
    public static AgentResponse Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        JsonElement root = document.RootElement;
        JsonElement? result = root.TryGetProperty("result"u8, out JsonElement r) ? r.Clone() : null;
        JsonElement? error = root.TryGetProperty("error"u8, out JsonElement e) ? e.Clone() : null;
        return new AgentResponse(result, error);
    }
}
