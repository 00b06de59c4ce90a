using System.Text.Json.Serialization;

namespace AcpHost.Bench.Soak;

/// <summary>Source-generated serialisation for the soak's one structured message.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SoakAgentReport))]
internal sealed partial class SoakJsonContext : JsonSerializerContext;
