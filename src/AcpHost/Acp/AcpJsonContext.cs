using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>
/// Every ACP shape the host decodes, source-generated: only intercepted messages are deserialised, and only into
/// these records. Unknown members are ignored on read; the host never re-serialises a message it relays.
/// </summary>
/// <remarks>
/// Read exactly as the agent's <c>JSON.parse</c> reads: names match case-sensitively (the Web defaults would let
/// <c>"Prompt"</c> stand in for <c>"prompt"</c>), numbers are never read from strings, and a later duplicate member
/// replaces an earlier one (the serializer's behaviour with duplicates allowed, pinned by ForkCommandReadingTests).
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.Strict, AllowDuplicateProperties = true)]
[JsonSerializable(typeof(ResponseEnvelope<InitializeResult>))]
[JsonSerializable(typeof(ResponseEnvelope<SessionResult>))]
[JsonSerializable(typeof(RequestEnvelope<SessionParams>))]
[JsonSerializable(typeof(SessionUpdateNotification))]
[JsonSerializable(typeof(RequestEnvelope<PromptParams>))]
[JsonSerializable(typeof(RequestEnvelope<HostForkParams>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class AcpJsonContext : JsonSerializerContext;
