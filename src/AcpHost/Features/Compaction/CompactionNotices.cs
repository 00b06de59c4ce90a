using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Features.Compaction;

/// <summary>
/// A ledger record as the client sees it: the params of <c>_acphost/compaction</c>, and the same object under
/// <c>_meta.acphost</c> of the agent's terminal <c>compaction_update</c>. Both are written by the ACP wire's context.
/// </summary>
internal static class CompactionNotices
{
    /// <summary>The notification for a record.</summary>
    public static CompactionNotification From(CompactionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new CompactionNotification
        {
            SessionId = record.SessionId,
            Trigger = record.Trigger,
            PreTokens = record.PreTokens,
            PostTokens = record.PostTokens,
            DurationMs = record.DurationMs,
            ContextWindow = record.ContextWindow,
            CompactionId = record.Id,
        };
    }

    /// <summary>The params of <c>_acphost/compaction</c> for a record, serialised.</summary>
    public static byte[] Payload(CompactionRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(From(record), AcpJsonContext.Default.CompactionNotification);

    /// <summary>The agent's update with the facts added under <c>params.update._meta.acphost</c>; all else kept.</summary>
    public static byte[] WithAcphostMeta(ReadOnlyMemory<byte> line, CompactionRecord record)
    {
        JsonNode message = JsonTree.Parse(line.Span)!;
        JsonObject update = message["params"]!["update"]!.AsObject();
        if (update["_meta"] is not JsonObject meta)
        {
            update["_meta"] = meta = [];
        }

        meta["acphost"] = JsonSerializer.SerializeToNode(From(record), AcpJsonContext.Default.CompactionNotification);
        return JsonRpcWriter.ToBytes(writer => message.WriteTo(writer));
    }
}
