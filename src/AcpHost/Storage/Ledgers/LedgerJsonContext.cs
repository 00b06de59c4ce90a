using System.Text.Json.Serialization;

namespace AcpHost.Storage.Ledgers;

/// <summary>
/// The compaction ledger's line format, source-generated. Nullable annotations are respected on read, so a line whose
/// <c>id</c> or <c>sessionId</c> is null counts as unreadable instead of becoming a record without an identity.
/// </summary>
[JsonSourceGenerationOptions(RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CompactionRecord))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
