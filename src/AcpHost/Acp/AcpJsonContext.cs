using System.Text.Json.Serialization;
using AcpHost.Relay.Protocol;

namespace AcpHost.Acp;

/// <summary>
/// The ACP wire, source-generated: the shapes the host decodes from intercepted messages, and the host's own
/// <c>_acphost/*</c> extension messages it writes to the client (<see cref="CompactionNotification"/>,
/// <see cref="SessionForkedNotification"/>, <see cref="AgentRestartedNotification"/>). One contract, one context:
/// the host reads and writes this wire with the agent's rules whatever feature does the reading or writing.
/// Unknown members are ignored on read; the host never re-serialises a message it relays.
/// </summary>
/// <remarks>
/// Read exactly as the agent's <c>JSON.parse</c> reads: names match case-sensitively (the Web defaults would let
/// <c>"Prompt"</c> stand in for <c>"prompt"</c>), numbers are never read from strings, and a later duplicate member
/// replaces an earlier one (the serializer's behaviour with duplicates allowed, pinned by ForkCommandReadingTests).
/// These options act on reading only: every member written carries its wire name in <c>[JsonPropertyName]</c>, nulls
/// are written unless a member says otherwise, so what the host writes is what the records say (pinned byte for byte
/// by AcpHostNotificationShapeTests).
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.Strict, AllowDuplicateProperties = true, MaxDepth = JsonDepth.Max)]
[JsonSerializable(typeof(ResponseEnvelope<InitializeResult>))]
[JsonSerializable(typeof(ResponseEnvelope<SessionResult>))]
[JsonSerializable(typeof(RequestEnvelope<SessionParams>))]
[JsonSerializable(typeof(RequestEnvelope<InitializeParams>))]
[JsonSerializable(typeof(SessionUpdateNotification))]
[JsonSerializable(typeof(RequestEnvelope<PromptParams>))]
[JsonSerializable(typeof(RequestEnvelope<HostForkParams>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(CompactionNotification))]
[JsonSerializable(typeof(SessionForkedNotification))]
[JsonSerializable(typeof(AgentRestartedNotification))]
internal sealed partial class AcpJsonContext : JsonSerializerContext;
