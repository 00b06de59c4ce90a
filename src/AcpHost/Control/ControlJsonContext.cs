using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Control;

/// <summary>
/// The control wire's own contract (protocol/README.md, "Control endpoint"): every type its messages carry, and the only
/// type information StreamJsonRpc's formatter is given (<see cref="ControlRpc"/>). Default options: the names are spelt
/// out on each member, and nulls are written, as the wire always had them. The <c>event/*</c> notifications carry the
/// host's own records as they are (<see cref="CompactionRecord"/>, <see cref="SessionForked"/>,
/// <see cref="ContextFillChanged"/>, <see cref="EventsDropped"/>): one type per fact.
/// </summary>
[JsonSerializable(typeof(HostStatus))]
[JsonSerializable(typeof(ControlForkParams))]
[JsonSerializable(typeof(ControlForkResult))]
[JsonSerializable(typeof(EmptyResult))]
[JsonSerializable(typeof(SessionErrorData))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(CompactionRecord))]
[JsonSerializable(typeof(SessionForked))]
[JsonSerializable(typeof(ContextFillChanged))]
[JsonSerializable(typeof(EventsDropped))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
