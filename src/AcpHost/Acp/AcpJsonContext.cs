using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpHost.Acp;

/// <summary>
/// Every ACP shape the host decodes, source-generated: only intercepted messages are deserialised, and only into
/// these records. Unknown members are ignored on read; the host never re-serialises a message it relays.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ResponseEnvelope<InitializeResult>))]
[JsonSerializable(typeof(ResponseEnvelope<SessionResult>))]
[JsonSerializable(typeof(RequestEnvelope<SessionParams>))]
[JsonSerializable(typeof(SessionUpdateNotification))]
[JsonSerializable(typeof(RequestEnvelope<PromptParams>))]
[JsonSerializable(typeof(RequestEnvelope<HostForkParams>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class AcpJsonContext : JsonSerializerContext;
