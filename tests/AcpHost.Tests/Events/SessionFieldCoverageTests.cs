using System.Reflection;
using System.Text.Json;
using AcpHost.Cli;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Tests.Events;

/// <summary>
/// A session as the host keeps it is one <see cref="SessionRecord"/> (the sessions ledger's line, and as it is in the
/// control plane's <c>host/status</c>); <c>sessions --json</c> is made from it. A field added to the record must reach it or be named here with the reason.
/// </summary>
public class SessionFieldCoverageTests
{
    private const int Timeout = 10_000;

    private static readonly Dictionary<string, string> CliExclusions = new()
    {
        ["forkNote"] = "the documented contract of sessions --json has exactly eight fields; the note is shown by sessions and /forks",
        ["forkUsedTokens"] = "the documented contract of sessions --json has exactly eight fields; usedTokens is the session's own fill",
    };

    private static readonly SessionRecord Full = new()
    {
        SessionId = "s-fork",
        ParentSessionId = "s-parent",
        ForkReason = ForkReasons.Command,
        ForkNote = "before the refactor",
        ForkUsedTokens = 823_412,
        Cwd = "/work/project",
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
        UsedTokens = 12_104,
        ContextWindow = 1_000_000,
        Compactions = 3,
    };

    [Fact(Timeout = Timeout)]
    public async Task SessionsJson_FullRecord_CarriesEveryFieldOrNamesWhyNot()
    {
        await Task.Yield();
        Dictionary<string, string> record = ShapeFields.Of(JsonSerializer.Serialize(Full, LedgerJsonContext.Default.SessionRecord));
        Assert.Equal(typeof(SessionRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance).Length, record.Count);
        Dictionary<string, string> shown = ShapeFields.Of(JsonDocument.Parse(SessionJson.Write([Full])).RootElement[0].GetRawText());

        ShapeFields.AssertCarried("cli", record, shown, CliExclusions, field => field);
    }
}
