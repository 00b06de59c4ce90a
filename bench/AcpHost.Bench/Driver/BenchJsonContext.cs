using System.Text.Json.Serialization;

namespace AcpHost.Bench.Driver;

/// <summary>Source-generated serialization for <c>--json</c>: no reflection, trimming-safe.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchResults))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
