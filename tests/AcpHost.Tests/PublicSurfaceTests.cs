using AcpHost.Events;

namespace AcpHost.Tests;

/// <summary>
/// The executable's public types are the few that other assemblies of the repository use (the ledger writer of the
/// ledger tests, the micro-benchmarks); everything else is internal, visible to the test projects only. A type made
/// public again fails here, naming it.
/// </summary>
public class PublicSurfaceTests
{
    private const int Timeout = 10_000;

    private static readonly string[] Expected =
    [
        "AcpHost.Acp.AcpDialect",
        "AcpHost.Events.CompactionRecord",
        "AcpHost.Events.CompactionSources",
        "AcpHost.Events.FlattenedItem",
        "AcpHost.Events.FlattenedKind",
        "AcpHost.Events.FlattenedSpecifics",
        "AcpHost.Storage.Ledgers.CompactionLedger",
        "AcpHost.Storage.Ledgers.LedgerReadResult`1",
    ];

    [Fact(Timeout = Timeout)]
    public async Task ExportedTypes_AreOnlyThoseUsedOutsideTheExecutable()
    {
        await Task.Yield();
        string[] exported = [.. typeof(CompactionRecord).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal)];
        Assert.Equal(Expected, exported);
    }
}
