using AcpHost.Features.Sessions;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Features.Sessions;

/// <summary>A session record the ledger refuses spoils only itself (a feature's failure is contained).</summary>
public sealed class LineageRecorderContainmentTests : IDisposable
{
    private const int Timeout = 20_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-lineage-contain-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = Timeout)]
    public async Task SessionWithAnEmptyId_IsLoggedAndLaterSessionsAreStillRecorded()
    {
        var sessions = new SessionRegistry();
        var ledger = new SessionLedger(_folder);
        var log = new ListLogger<LineageRecorder>();
        await using var recorder = new LineageRecorder(sessions, ledger, TimeProvider.System, log);
        await recorder.StartAsync(CancellationToken.None);

        // An agent that answered session/new with {"sessionId": ""}.
        sessions.Open(new SessionInfo("", "/work", DateTimeOffset.UtcNow, "session/new", null));
        sessions.Open(new SessionInfo("good", "/work", DateTimeOffset.UtcNow, "session/new", null));

        await Conditions.UntilAsync(() => ledger.ReadAll().Any(r => r.SessionId == "good"), TimeSpan.FromSeconds(10), "the later session in the ledger");

        // The refused record is logged after its batch is written, so the good one may be on disk first.
        await Conditions.UntilAsync(() => log.Entries.Any(e => e.Level >= LogLevel.Warning), TimeSpan.FromSeconds(10), "a log line for the refused record");
    }
}
