using System.Text.Json.Serialization;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Features.Control;

/// <summary>Source-generated serialisation of everything the control endpoint sends and receives.</summary>
[JsonSerializable(typeof(HostStatus))]
[JsonSerializable(typeof(ControlForkParams))]
[JsonSerializable(typeof(ControlForkRequest))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(ControlForkResult))]
[JsonSerializable(typeof(ForkEvent))]
[JsonSerializable(typeof(UsageEvent))]
[JsonSerializable(typeof(CompactionRecord))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
