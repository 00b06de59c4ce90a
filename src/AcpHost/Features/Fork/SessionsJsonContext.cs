using System.Text.Json.Serialization;

namespace AcpHost.Features.Fork;

/// <summary>Source-generated serialisation of what the fork announcer writes to the client.</summary>
[JsonSerializable(typeof(SessionForkedNotification))]
internal sealed partial class SessionsJsonContext : JsonSerializerContext;
