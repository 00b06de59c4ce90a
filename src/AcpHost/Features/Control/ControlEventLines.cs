using System.Buffers;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Relay.Protocol;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Features.Control;

/// <summary>The control plane's wire form of the host's events: the <c>event/*</c> notifications of <c>protocol/README.md</c>.</summary>
internal static class ControlEventLines
{
    /// <summary>The notification line for an event, or null for events the control wire does not carry.</summary>
    public static ReadOnlyMemory<byte>? ToLine(HostEvent hostEvent)
    {
        (string Method, byte[] Params)? notification = hostEvent switch
        {
            // The wire sends each compaction once, as first recorded; later counts go to the ledger and `compactions`.
            CompactionRecorded { IsUpdate: false } c => (ControlMethods.CompactionEvent, JsonSerializer.SerializeToUtf8Bytes(
                new CompactionRecord
                {
                    Id = c.Id,
                    SessionId = c.SessionId,
                    Trigger = c.Trigger,
                    PreTokens = c.PreTokens,
                    PostTokens = c.PostTokens,
                    DurationMs = c.DurationMs,
                    ContextWindow = c.ContextWindow,
                    At = c.At,
                    Source = c.Source,
                    BoundaryUuid = c.BoundaryUuid,
                },
                ControlJsonContext.Default.CompactionRecord)),
            SessionForked f => (ControlMethods.ForkEventName, JsonSerializer.SerializeToUtf8Bytes(
                new ForkEvent { SessionId = f.SessionId, ParentSessionId = f.ParentSessionId, Reason = f.Reason, UsedTokens = f.UsedTokens, ContextWindow = f.ContextWindow, At = f.At },
                ControlJsonContext.Default.ForkEvent)),
            ContextFillChanged u => (ControlMethods.UsageEventName, JsonSerializer.SerializeToUtf8Bytes(
                new UsageEvent { SessionId = u.SessionId, UsedTokens = u.UsedTokens, ContextWindow = u.ContextWindow, At = u.At },
                ControlJsonContext.Default.UsageEvent)),
            _ => null,
        };
        if (notification is not { } n)
        {
            return null;
        }

        var line = new ArrayBufferWriter<byte>(n.Params.Length + 64);
        JsonRpcWriter.WriteNotification(line, n.Method, n.Params);
        return line.WrittenMemory;
    }
}
