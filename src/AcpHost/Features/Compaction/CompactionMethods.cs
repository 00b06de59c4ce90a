namespace AcpHost.Features.Compaction;

/// <summary>The extension methods of the compaction feature (documented in protocol/README.md).</summary>
public static class CompactionMethods
{
    /// <summary>Host → client, after every compaction: <see cref="Acp.CompactionNotification"/>.</summary>
    public const string Notification = "_acphost/compaction";
}
