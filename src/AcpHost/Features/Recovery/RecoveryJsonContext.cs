using System.Text.Json.Serialization;

namespace AcpHost.Features.Recovery;

/// <summary>Source-generated serialisation of what recovery writes to the client.</summary>
[JsonSerializable(typeof(AgentRestartedNotification))]
internal sealed partial class RecoveryJsonContext : JsonSerializerContext;
