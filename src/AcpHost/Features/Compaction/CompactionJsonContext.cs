using System.Text.Json.Serialization;

namespace AcpHost.Features.Compaction;

/// <summary>Source-generated serialisation of what the compaction feature writes to the client.</summary>
[JsonSerializable(typeof(CompactionNotification))]
internal sealed partial class CompactionJsonContext : JsonSerializerContext;
