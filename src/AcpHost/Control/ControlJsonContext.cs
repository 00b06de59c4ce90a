using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>
/// The control wire's own contract (protocol/README.md, "Control endpoint"): every type its messages carry, and the only
/// type information StreamJsonRpc's formatter is given (<see cref="ControlRpc"/>). Default options: the names are spelt
/// out on each member, and nulls are written, as the wire always had them.
/// </summary>
[JsonSerializable(typeof(HostStatus))]
[JsonSerializable(typeof(ControlForkParams))]
[JsonSerializable(typeof(ControlForkResult))]
[JsonSerializable(typeof(EmptyResult))]
[JsonSerializable(typeof(SessionErrorData))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ForkEvent))]
[JsonSerializable(typeof(UsageEvent))]
[JsonSerializable(typeof(DroppedEvent))]
[JsonSerializable(typeof(CompactionEvent))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
