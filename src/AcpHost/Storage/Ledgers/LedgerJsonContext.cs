using System.Text.Json.Serialization;
using AcpHost.Events;

namespace AcpHost.Storage.Ledgers;

/// <summary>
/// The ledgers on disk (compaction ledger and session ledger), source-generated: one JSON-lines contract that the
/// host, <c>acphost compactions</c>/<c>sessions</c> and users' own scripts read back, so both ledgers follow the same rules.
/// Default (not Web) options: every member names itself in <c>[JsonPropertyName]</c>, and a ledger written by an
/// earlier version must read the same. Nullable annotations are respected on read, so a line whose <c>id</c> or
/// <c>sessionId</c> is null counts as unreadable instead of becoming a record without an identity.
/// </summary>
[JsonSourceGenerationOptions(RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CompactionRecord))]
[JsonSerializable(typeof(SessionRecord))]
[JsonSerializable(typeof(FlattenedSpecifics))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
