using System.Text.Json.Serialization;

namespace AcpHost.Features.Sessions;

/// <summary>Source-generated serialisation of what the session features write to the client.</summary>
[JsonSerializable(typeof(SessionForkedNotification))]
internal sealed partial class SessionsJsonContext : JsonSerializerContext;
