using System.Text.Json.Serialization;

namespace AcpHost.Storage.Ledgers;

/// <summary>
/// The session ledger's line format, source-generated. Nullable annotations are respected on read, so a line whose
/// <c>sessionId</c> is null counts as unreadable instead of becoming a record without an identity.
/// </summary>
[JsonSourceGenerationOptions(RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SessionRecord))]
internal sealed partial class SessionLedgerJsonContext : JsonSerializerContext;
