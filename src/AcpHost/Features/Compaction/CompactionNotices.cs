using System.Text.Json.Nodes;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;

namespace AcpHost.Features.Compaction;

/// <summary>
/// A ledger record as the client sees it: the params of <c>_acphost/compaction</c>, and the same object under
/// <c>_meta.acphost</c> of the agent's terminal <c>compaction_update</c>. Both are written by the ACP wire's context.
/// </summary>
internal static class CompactionNotices
{
    /// <summary>The params of <c>_acphost/compaction</c> for a record, serialised.</summary>
    public static byte[] Payload(CompactionRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(CompactionNotification.From(record), AcpJsonContext.Default.CompactionNotification);

    /// <summary>The agent's update with the facts added under <c>params.update._meta.acphost</c>; all else kept.</summary>
    public static byte[] WithAcphostMeta(ReadOnlyMemory<byte> line, CompactionRecord record)
    {
        JsonNode message = JsonTree.Parse(line.Span)!;
        JsonObject update = message["params"]!["update"]!.AsObject();
        if (update["_meta"] is not JsonObject meta)
        {
            update["_meta"] = meta = [];
        }

        meta["acphost"] = JsonSerializer.SerializeToNode(CompactionNotification.From(record), AcpJsonContext.Default.CompactionNotification);
        return JsonRpcWriter.ToBytes(writer => message.WriteTo(writer));
    }
}
